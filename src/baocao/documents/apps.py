from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Layouts of official documents (Decree 30/2020/NĐ-CP): DOCX, HTML and PDF renderers."""

    name = "baocao.documents"
    label = "documents"
    verbose_name = "Văn bản"
