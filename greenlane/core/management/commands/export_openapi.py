import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT = settings.REPO_DIR / "docs" / "api" / "openapi.json"


class Command(BaseCommand):
    help = (
        "Write the OpenAPI document to docs/api/openapi.json, or --check that the committed one is current."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail if the committed file differs from the code."
        )
        parser.add_argument("--output", default=str(DEFAULT))

    def handle(self, *args, check: bool, output: str, **options):
        from greenlane.api import api

        text = json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True) + "\n"
        path = Path(output)
        if check:
            if not path.exists() or path.read_text() != text:
                raise CommandError(
                    f"{path} is out of date with the API code. Run `make openapi` (greenlane export-openapi) "
                    "and commit the result."
                )
            self.stdout.write("OpenAPI document is current.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.stdout.write(f"Wrote {path}")
