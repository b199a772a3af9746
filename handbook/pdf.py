"""Pocket-checklist PDFs with WeasyPrint (real paged media: honours A6, embeds subset fonts).

The PDF uses the same checklist HTML as the web page and the same print stylesheet;
only a minimal HTML shell differs. When WeasyPrint or a CJK font is missing the build
goes on without PDFs and says what to install.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from markupsafe import Markup

from .index import Index

CJK_FONT_HINT = "Noto Sans CJK SC"


def engine_problem() -> str | None:
    """Why PDFs cannot be made here, or None."""
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # ImportError, or OSError when Pango is missing
        return f"未安装 PDF 引擎 WeasyPrint（{exc.__class__.__name__}）：运行 pip install -r requirements.txt；PDF 清单未生成"
    try:
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        fonts = ""
    if CJK_FONT_HINT not in fonts:
        return "未找到中文字体 Noto Sans CJK SC：运行 apt-get install fonts-noto-cjk；PDF 清单未生成（否则中文会消失）"
    return None


def pdf_plan(ix: Index) -> dict[str, str]:
    """Checklist key ("<jurisdiction>-<role>" or "<jurisdiction>-all") -> PDF file name."""
    if engine_problem():
        return {}
    plan = {}
    for view in ix.jurisdictions.values():
        for role in ix.book.roles.values():
            if ix.has_content(role.id, view.id):
                plan[f"{view.id}-{role.id}"] = f"{view.id}-{role.id}.pdf"
        plan[f"{view.id}-all"] = f"{view.id}-all.pdf"
    return plan


def build_checklist_pdfs(site, out_dir: Path, docs_dir: Path) -> list[str]:
    """Write every planned PDF; return messages for the build log."""
    problem = engine_problem()
    if problem:
        return [problem]
    from weasyprint import CSS, HTML

    out_dir.mkdir(parents=True, exist_ok=True)
    css = CSS(string=(docs_dir / "assets" / "print.css").read_text("utf-8"))
    shell = site.env.get_template("checklist_pdf.html.j2")
    for key, name in sorted(site.pdfs.items()):
        jurisdiction, role = key.rsplit("-", 1)
        body = site.checklist_body(jurisdiction, None if role == "all" else role)
        html = shell.render(title=f"{jurisdiction} {role}", body=Markup(body))
        document = HTML(string=html, base_url=str(docs_dir)).render(stylesheets=[css])
        # Fixed metadata keeps two builds of the same data byte-identical.
        document.metadata.created = document.metadata.modified = None
        document.write_pdf(out_dir / name, uncompressed_pdf=False)
    return []
