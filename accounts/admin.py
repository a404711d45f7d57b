"""Django's users and groups in the admin, with the groups' names in the reader's language
(the editors' group is "Editors" in the database, "Redaktori" in the Latvian admin)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class GroupListFilter(admin.SimpleListFilter):
    title = _("groups")
    parameter_name = "groups__id__exact"

    def lookups(self, request, model_admin):
        return [(group.pk, gettext(group.name)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups=self.value()) if self.value() else queryset


class TranslatedUserAdmin(UserAdmin):
    list_filter = tuple(
        GroupListFilter if name == "groups" else name for name in UserAdmin.list_filter
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: gettext(group.name)
        return field


class TranslatedGroupAdmin(GroupAdmin):
    list_display = ("translated_name",)

    @admin.display(description=_("name"), ordering="name")
    def translated_name(self, group):
        return gettext(group.name)


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, TranslatedUserAdmin)
admin.site.register(Group, TranslatedGroupAdmin)
