from django.shortcuts import redirect, render


def home(request):
    user = request.user
    if user.is_authenticated:
        return redirect("staff:partner_search" if user.staff_role else "partners:list")
    return render(request, "core/home.html")
