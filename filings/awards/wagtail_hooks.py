from wagtail import hooks

from .viewsets import application_review_viewset, filing_review_viewset


@hooks.register("register_admin_viewset")
def register_filing_review():
    return filing_review_viewset


@hooks.register("register_admin_viewset")
def register_application_review():
    return application_review_viewset
