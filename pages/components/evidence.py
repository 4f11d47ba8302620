"""佐证材料 of one indicator, as 指标详情 and 绩效自评's 逐项评定 both show it: each file with its uploader (by 姓名),
time and note, a preview (images, a PDF's first page) and a download, each loading that one file only when asked;
the form attaching a file, and removal, for the roles data_model.evidence allows."""

import streamlit as st

from data_model import evidence
from data_model.audit import local_time
from data_model.auth import display_names, named
from data_model.models import Project
from data_model.problems import FileRefused
from data_model.sniff import BY_SUFFIX, IMAGES, PDF
from kpi.evidence import preview
from pages.common import SignedIn, db, escaped

NOTICE = "evidence_notice"  # session key: what the last attach or removal did, said after its rerun
PREVIEWABLE = (*IMAGES, PDF.mime)


def _size(size: int) -> str:
    return f"{size / 1024:,.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def _content(project: Project, evidence_id: int):
    def load() -> bytes:
        with db() as s:
            return evidence.content(s, project.id, evidence_id)

    return load


def _change(change, done: str) -> None:
    try:
        with db() as s:
            change(s)
    except FileRefused as err:
        st.error(escaped(str(err)))
        return
    st.session_state[NOTICE] = done
    st.rerun()


def _file(project: Project, item: evidence.Item, names: dict[str, str], user: SignedIn) -> None:
    with st.container(border=True, key=f"evidence_{item.id}"):
        st.markdown(
            f"**{escaped(item.file_name)}**　{_size(item.size)}　"
            f"上传人：{escaped(named(names, item.uploaded_by))}　{local_time(item.uploaded_at)}"
        )
        if item.note:
            st.caption(f"说明：{escaped(item.note)}")
        if item.record_sheet:
            st.caption(f"关联记录：{escaped(item.record_sheet)}「{escaped(item.record_key or '')}」")
        show, download, remove = st.columns([2, 2, 1])
        if item.mime in PREVIEWABLE and show.toggle("预览", key=f"evidence_preview_{item.id}"):
            shown = preview(item.mime, _content(project, item.id)())
            if shown is None:
                st.caption("无法生成预览，请下载后查看。")
            else:
                st.image(shown, caption=item.file_name if item.mime in IMAGES else f"{item.file_name}（第 1 页）")
        download.download_button(
            "下载",
            _content(project, item.id),
            file_name=item.file_name,
            mime=item.mime,
            key=f"evidence_download_{item.id}",
            on_click="ignore",
        )
        if evidence.may_remove(item, user.username, user.role) and remove.button(
            "删除", key=f"evidence_remove_{item.id}"
        ):
            _change(
                lambda s: evidence.remove(s, project, item.id, by=user.username, role=user.role),
                f"已删除佐证材料「{item.file_name}」",
            )


def _attach_form(project: Project, seq: int, user: SignedIn, records: list[tuple[str, str]]) -> None:
    with st.form(f"evidence_attach_{seq}", clear_on_submit=True):
        upload = st.file_uploader(
            "上传佐证材料",
            type=[suffix.lstrip(".") for suffix in BY_SUFFIX],
            key=f"evidence_file_{seq}",
            help="PDF、JPEG/PNG 图片、Word（.docx）、Excel（.xlsx）或 OFD，每个至多 20 MB",
        )
        note = st.text_input("说明", key=f"evidence_note_{seq}", placeholder="如：第一场普法活动签到表")
        record = (
            st.selectbox(
                "关联记录（可选）",
                records,
                index=None,
                key=f"evidence_record_{seq}",
                format_func=lambda r: f"{r[0]}「{r[1]}」",
                placeholder="不关联具体记录",
            )
            if records
            else None
        )
        if st.form_submit_button("上传"):
            if upload is None:
                st.error("请先选择要上传的文件")
                return
            _change(
                lambda s: evidence.attach(
                    s,
                    project,
                    evidence.Upload(seq, upload.name, upload.getvalue(), user.username, note, record),
                    role=user.role,
                ),
                f"已上传佐证材料「{upload.name}」",
            )


def evidence_section(project: Project, seq: int, user: SignedIn, records: list[tuple[str, str]] = ()) -> None:
    """The indicator's 佐证材料 and, for the roles that may, the form attaching one (under the page's heading), which
    offers to link the file to one of `records` (upload sheet, the record's key as shown)."""
    if notice := st.session_state.pop(NOTICE, None):
        st.success(escaped(notice))
    with db() as s:
        items, names = evidence.listing(s, project.id, seq), display_names(s)
    if not items:
        st.caption("该指标暂无佐证材料。")
    for item in items:
        _file(project, item, names, user)
    if evidence.may_add(user.role):
        _attach_form(project, seq, user, list(records))
