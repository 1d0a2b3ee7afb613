from django.http import HttpResponse


def partner_search(request):
    return HttpResponse("search")
