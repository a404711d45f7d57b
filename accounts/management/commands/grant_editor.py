from django.core.management.base import BaseCommand, CommandError

from accounts.editors import editor_grant, editor_revoke, find_account


class Command(BaseCommand):
    help = (
        "Make an existing account an editor (staff status and the editors' group: the handbook "
        "and the good-practice library, nothing of organisations or people), or with --revoke "
        "take that away. The editor sets up the second factor at the first sign-in to the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's e-mail address (its login)")
        parser.add_argument("--revoke", action="store_true", help="Take the editor's rights away")

    def handle(self, *args, email, revoke=False, **options):
        user = find_account(email)
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        if revoke:
            editor_revoke(user=user)
            self.stdout.write(f"{user.get_username()} is no longer an editor.")
        else:
            editor_grant(user=user)
            self.stdout.write(f"{user.get_username()} is an editor.")
