"""The catalogs in Django admin: administrators edit products, expected timelines and
muscles (DESIGN §4). Clinical records (visits, ratings, courses) are not registered:
administrators see no clinical data. Catalog rows are never deleted here (visits point
at them); a product that is no longer used is made inactive instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from treatments.models import ClosedDay, Muscle, ProductTimeline, ToxinProduct
from treatments.signals import timeline_changed


def announce_timeline(timeline: ProductTimeline) -> None:
    """Tell the cycle analysis, after commit, that an expected timeline was edited."""
    transaction.on_commit(lambda: timeline_changed.send(sender=ProductTimeline, timeline=timeline))


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ProductTimelineInline(admin.StackedInline):
    model = ProductTimeline
    extra = 0
    can_delete = False
    fieldsets = (
        (None, {"fields": ("indication",)}),
        (
            "Expected effect",
            {
                "fields": (
                    ("onset_days_low", "onset_days_typical", "onset_days_high"),
                    ("peak_weeks_low", "peak_weeks_high"),
                    ("duration_weeks_low", "duration_weeks_typical", "duration_weeks_high"),
                    "min_interval_weeks",
                )
            },
        ),
        (
            "Dose (units of this product only)",
            {"fields": ("usual_dose", "max_units_per_session", "max_units_per_site")},
        ),
        (None, {"fields": ("source",)}),
    )


@admin.register(ToxinProduct)
class ToxinProductAdmin(NoDeleteAdmin):
    list_display = ("brand_name", "generic_name", "serotype", "active")
    list_filter = ("serotype", "active")
    search_fields = ("brand_name", "generic_name")
    inlines = (ProductTimelineInline,)

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for timeline in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            if isinstance(timeline, ProductTimeline):
                announce_timeline(timeline)


@admin.register(ProductTimeline)
class ProductTimelineAdmin(SimpleHistoryAdmin, NoDeleteAdmin):
    list_display = (
        "product",
        "indication",
        "onset_days_typical",
        "duration_weeks_low",
        "duration_weeks_typical",
        "duration_weeks_high",
        "min_interval_weeks",
        "max_units_per_session",
    )
    list_filter = ("indication", "product")
    fieldsets = (
        (None, {"fields": ("product", "indication")}),
        *ProductTimelineInline.fieldsets[1:],
    )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        announce_timeline(obj)


@admin.register(Muscle)
class MuscleAdmin(NoDeleteAdmin):
    list_display = ("name", "region", "paired")
    list_filter = ("region",)
    search_fields = ("name", "code")


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    """Public holidays and other days the clinic is closed: booking on one asks first."""

    list_display = ("date", "reason")
    date_hierarchy = "date"
