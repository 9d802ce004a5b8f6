"""Freeze the letterhead of versions approved before ReportVersion.header existed, as they printed
then (the regime's outline, or the defaults of an unsaved one), so that later edits of outlines or
issuer profiles never change their reprint."""

from django.db import migrations


def _header(version, outline) -> dict:
    report = version.report
    unit = report.unit
    parent = unit.parent
    if outline is None:
        return {
            "parent_body": (parent.name if parent else "").upper(), "issuer": unit.name.upper(),
            "issuer_code": unit.code, "type_code": "BC", "place": "", "recipients": [], "archive": "VT",
            "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "",
            "profile_id": None,
        }
    return {
        "parent_body": outline.parent_body, "issuer": outline.issuer_name or unit.name.upper(),
        "issuer_code": outline.issuer_code or unit.code, "type_code": outline.type_code or "BC",
        "place": outline.place, "recipients": [str(r) for r in (outline.recipients or [])],
        "archive": outline.archive or "VT", "signer_authority": outline.signer_authority or "",
        "signer_title": outline.signer_title, "signer_name": outline.signer_name or "", "profile_id": None,
    }


def backfill(apps, schema_editor):
    ReportVersion = apps.get_model("consolidation", "ReportVersion")
    ReportOutline = apps.get_model("consolidation", "ReportOutline")
    outlines = {o.regime_id: o for o in ReportOutline.objects.all()}
    versions = ReportVersion.objects.filter(status="approved").select_related(
        "report", "report__unit", "report__unit__parent")
    for version in versions.iterator():
        if version.header:
            continue
        version.header = _header(version, outlines.get(version.report.regime_id))
        version.save(update_fields=["header"])


class Migration(migrations.Migration):
    dependencies = [("consolidation", "0002_issuer_profile")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
