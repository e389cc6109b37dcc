from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demonstration data (``seed_demo``) and the benchmarks (``benchmark_*``): they drive
    every app through its services, so they sit above them all, and nothing imports them."""

    name = "demo"
    verbose_name = _("Demonstration data and benchmarks")
