from pathlib import Path

from django.core.management.base import BaseCommand

from content.toolkit_io import dump_document, export_document


class Command(BaseCommand):
    help = "Export the handbook content as it is in the database (schema 1) to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Write here (.json or .yaml) instead of stdout"
        )

    def handle(self, *args, output=None, **options):
        fmt = "yaml" if output and output.suffix in {".yaml", ".yml"} else "json"
        text = dump_document(export_document(), fmt)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported to {output}")
        else:
            self.stdout.write(text, ending="")
