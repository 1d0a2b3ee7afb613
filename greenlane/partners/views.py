from django.http import HttpResponse


def company_list(request):
    return HttpResponse("companies")
