"""`manage.py export_model MODEL@VERSION DIR [--overwrite]`: write a version as a folder that can
be pushed to the Hugging Face Hub as is (card, weights, config, standalone loader)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from models_hub.export.folder import ExportError, model_version_export
from models_hub.export.reference import VersionNotFound, model_version_by_reference


class Command(BaseCommand):
    help = "Export a model version (MODEL@VERSION, VERSION a number or an alias) to a folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "reference", help="MODEL@VERSION: e.g. acme-widgets-label-classifier@champion or @3"
        )
        parser.add_argument("directory", type=Path, help="the folder to write (new or empty)")
        parser.add_argument(
            "--overwrite", action="store_true", help="replace the folder if it holds files"
        )

    def handle(self, *args, reference: str, directory: Path, overwrite: bool, **options) -> None:
        try:
            version = model_version_by_reference(reference=reference)
            exported = model_version_export(version=version, target=directory, overwrite=overwrite)
        except (VersionNotFound, ExportError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{version} → {exported.path}")
        for name in exported.files:
            self.stdout.write(f"  {name}")
