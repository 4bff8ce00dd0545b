from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from registry import contributions, roles
        from registry.models import Role

        from .figures import certificates_by_region, training_by_year

        contributions.add_statistic(
            "training", training_by_year, counts=["training.Enrolment", "training.Attempt", "training.Certificate"]
        )
        contributions.add_statistic("certificates", certificates_by_region, counts=["training.Certificate"])
        # Provincial and city bureaus run trainings (the organiser check refuses a county); every role may look.
        organisers = (Role.PROVINCIAL, Role.INSTITUTION)
        managed = ("training", "enrolment", "question", "exam")
        roles.grant(organisers, {p for model in managed for p in roles.model_permissions("training", model)})
        roles.grant(organisers, {"training.change_certificate"})
        roles.grant(
            roles.ALL_ROLES,
            {f"training.view_{model}" for model in (*managed, "attempt", "certificate")},
        )
