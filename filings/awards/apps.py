from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "filings.awards"
    label = "awards"
    verbose_name = _("Quality awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_migrate, post_save

        from cqosite import pagecache
        from registry import contributions

        from . import organisers, snapshot
        from .access import ORGANISER
        from .figures import applications_by_programme
        from .models import AwardIndexPage

        contributions.add_function(ORGANISER, _("Award organiser"))
        contributions.add_statistic("applications", applications_by_programme, counts=["awards.Application"])

        application = self.get_model("Application")
        decided = {application.State.AWARDED, application.State.NOT_AWARDED}
        # Programme pages publish results; an application changes them when it is decided.
        pagecache.shows_publicly(application, lambda instance: instance.state in decided)

        post_save.connect(organisers.user_saved, sender=get_user_model(), dispatch_uid="awards.organiser_membership")
        post_save.connect(organisers.index_saved, sender=AwardIndexPage, dispatch_uid="awards.organiser_pages")
        # After wagtailcore's migrations: its page permissions must exist (wagtail comes after this app).
        post_migrate.connect(
            organisers.after_migrate, sender=apps.get_app_config("wagtailcore"), dispatch_uid="awards.organiser_sync"
        )
        post_migrate.connect(snapshot.freeze_left_unfrozen, sender=self, dispatch_uid="awards.freeze_left_unfrozen")
