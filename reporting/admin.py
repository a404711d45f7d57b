"""People in the admin: deleting one takes the path of deleting one's own account (the account
anonymised and deactivated, its records kept as "former member"), never a cascade."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.admin import TranslatedUserAdmin

from .own_data import account_delete, sole_coordinator_of


class PeopleAdmin(TranslatedUserAdmin):
    def get_deleted_objects(self, objs, request):
        """Nothing goes with a person; the only coordinator of an organisation cannot go until
        it is handed over (listed as what protects them)."""
        with transaction.atomic():  # sole_coordinator_of locks the memberships it reads
            protected = [name for user in objs for name in sole_coordinator_of(user)]
        return [str(user) for user in objs], {}, set(), protected

    def delete_model(self, request, obj):
        account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            account_delete(user=user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PeopleAdmin)
