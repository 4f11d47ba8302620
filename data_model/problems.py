"""Every problem a workbook can have, by its stable code, with its Chinese template; the refusal that lists them;
and the base of every error whose message is safe to show.

Codes: E0xx the file or a sheet's layout, E1xx one cell, E2xx the key, E3xx a row rule, E4xx the period locks,
E5xx the reading stopped, Wxxx warnings (ignored content); Pxxx the performance table (绩效目标表); Rxxx a backup;
Fxxx a 佐证材料 file (FileRefused).
A code whose checks word their problems differently has one entry per wording, named `CODE.what`; its problems
carry the code alone.
"""

from dataclasses import dataclass

# What validating one upload workbook finds (data_model.validation, and the row rules of data_model.sheets).
UPLOAD = {
    "E001": "文件无法读取：不是有效的 Excel（.xlsx）工作簿",
    "E002": "工作簿中没有可识别的工作表，应至少包含以下之一：{expected}",
    "E003": "缺少列「{column}」",
    "E004": "列「{column}」出现了不止一次",
    "E005": "第 1 行应为表头，但该行为空",
    "E006": "这是旧版 Excel 文件（.xls），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传",
    "E007": "这是启用宏的工作簿（.xlsm），为安全起见不能上传；请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传",
    "E008": (
        "文件设置了打开密码（已加密），无法读取；"
        "请在 Excel 中取消密码（文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码）并保存后再上传"
    ),
    "E009": "文件解压后共 {size}，超过上限 {limit}；请删去多余内容，或分成几个文件上传",
    "E010": (
        "文件中的「{part}」压缩比异常（{ratio} 倍，上限 {limit} 倍），不像是 Excel 保存的工作簿；"
        "请在 Excel 中打开后另存为 .xlsx 再上传"
    ),
    "E011": "文件结构无法识别（{part}），可能已损坏或不是由 Excel 保存；请在 Excel 中打开后另存为 .xlsx 再上传",
    "E012": "数据区域{area}共 {cells} 个单元格，超过上限 {limit} 个；请删除多余的行或列，或分成几个文件上传",
    "E013": "文件中有 {count} 条共享文本，超过上限 {limit} 条；请删去多余内容，或分成几个文件上传",
    "E014": "各单元格引用的文本合计 {size}，超过上限 {limit}；请删去多余内容，或分成几个文件上传",
    "E015": (
        "数据延伸到第 {row} 行（单元格 {cell}），超过上限 {limit} 行；"
        "请删除多余的行（包括只有格式的空行），或分成几个文件上传"
    ),
    "E016": "数据延伸到第 {column} 列（单元格 {cell}），超过上限 {limit} 列；请删除多余的列后重新上传",
    "E017": "无法读取（单元格的值超出 Excel 的范围或文件已损坏）；请检查后在 Excel 中另存为 .xlsx 再上传",
    "E018": "单元格 {cells} 是合并单元格，合并后只有第一个单元格有值；请取消合并，在每一行填写完整后重新上传",
    "E019": "单元格 {cell} 是错误值「{value}」，请改为实际的值后重新上传",
    "E020": (
        "单元格 {cell} 是公式，但文件中没有保存它的计算结果；请在 Excel 中打开并保存（或改为直接填写数值）后重新上传"
    ),
    "E101": "不能为空",
    "E102": "应为日期（Excel 日期或 YYYY-MM-DD 格式的文本），实际为「{raw}」",
    "E103": "日期 {value} 不在项目年度 {year} 年内",
    "E104": "应为 YYYY-MM 格式的月份（如 {year}-03），实际为「{raw}」",
    "E105": "月份 {value} 不在项目年度 {year} 年内",
    "E106": "月份 {value} 既不在项目年度 {year} 年，也不在同比基数年度 {base} 年内",
    "E107": "应为整数，实际为「{raw}」",
    "E108": "应为数字，实际为「{raw}」",
    "E109": "应不小于 {minimum}，实际为 {value}",
    "E110": "金额应大于 0 元，实际为 {value}",
    "E111": "金额最多保留两位小数（精确到分），实际为 {value}",
    "E112": "应为 0 到 100 之间的百分比，实际为「{raw}」",
    "E113": "应为以下之一：{choices}，实际为「{raw}」",
    "E114": "实际为逻辑值 {raw}（Excel 的 TRUE/FALSE），应填写{wanted}",
    "E115": "数值超出范围：{limits}，实际为「{raw}」",
    "E116": "应为本项目人工填报指标的三级指标名称或序号：{choices}，实际为「{raw}」",
    "E201": "{key}与第 {first} 行重复，同一工作簿中每条记录只能出现一次",
    "E301": "{given}的阵地必须填写{wanted}",
    "E302": "办结日期 {closed} 早于受理日期 {received}",
    "W001": "未知工作表「{sheet}」，已忽略",
    "W002": "未知列「{column}」，已忽略",
    "W003": "工作表「{sheet}」是空表（没有表头），已忽略",
    "W004": "工作表「{sheet}」是隐藏的工作表，其中的数据未导入；如需导入，请在 Excel 中取消隐藏后重新上传",
}

# What importing a valid upload can still meet (data_model.importer), and the line closing a cut list.
IMPORT = {
    "E401": "本行涉及{touch}，该月数据不能导入或修改；如需更正，请联系管理员解锁",
    "E501": "读取文件超过 {seconds} 秒仍未完成，已停止，未写入任何数据；请删去多余内容，或分成几个文件上传",
    "E502": (
        "读取文件时超出了内存上限，或读取程序异常退出，未写入任何数据；"
        "请删去多余内容，或在 Excel 中另存为 .xlsx 后重新上传"
    ),
    "E099": "另有 {count} 个问题未列出（只列出前 {shown} 个）；请先改正以上问题后重新上传",
    "W099": "另有 {count} 条提示未列出（只列出前 {shown} 条）",
}

# A performance-table workbook (data_model.projects reads it, kpi.projects binds its metrics and weights).
PERFORMANCE_TABLE = {
    "P001": "缺少工作表「{sheet}」",
    "P002": UPLOAD["E003"],
    "P003.info": "缺少「{label}」",
    "P003.year": "项目年度应为四位年份，实际为「{raw}」",
    "P003.amount": "金额应为大于 0 的数字，实际为「{raw}」",
    "P003.line": "项目内容不能为空",
    "P003.funds": "「{label}」应为不小于 0 的金额（元），实际为「{raw}」",
    "P003.funds_total": "上年结转资金与其他资金合计 {funds} 元，超过预算明细合计 {budget} 元",
    "P003.metric": "计算口径「{raw}」不存在，应为：{choices}",
    "P003.budget_line": "成本指标须关联预算明细中的一项，实际为「{raw}」",
    "P003.numeric_target": "计算口径「{metric}」需要数值目标（如 ≥85.00(%)），实际为「{raw}」",
    "P003.unit": "计算口径「{metric}」以「{unit}」计，年度指标值「{raw}」的单位应为{wanted}",
    "P003.word_target": (
        "计算口径「{metric}」以「{unit}」计，按文字目标评分（如 及时、同比提高），年度指标值不能是数值，实际为「{raw}」"
    ),
    "P003.weight": "分值应为数字，实际为「{raw}」",
    "P003.budget_weight": "预算执行率分值应为 0 到 100 之间的数字，实际为「{raw}」",
    "P003.amounts": "应至少填写「调整后预算数」「金额」「年初预算数」之一",
    "P003.current_funds": (
        "当年财政拨款 {current} 元、上年结转资金与其他资金 {others} 元合计 {funds} 元，与预算明细合计 {budget} 元不符"
    ),
    "P003.empty": "绩效目标表没有指标",
    "P003.refused": "{reason}",  # a TargetError's or WeightError's message: the rule that refuses words it
    "P004": "项目「{name}」已存在",
}

# A backup's extra sheets (data_model.backup), and restoring it (kpi.backup).
BACKUP = {
    "R001.blank": UPLOAD["E101"],
    "R001.value": "应为{wanted}，实际为「{raw}」",
    "R001.column": "缺少此列",
    "R001.repeated": "与第 {first} 行重复：{why}",
    "R001.refused": "{reason}",  # a JudgmentError's message: the rule that refuses words it
    "R002": "数据库中已有项目「{name}」且已有数据或绩效目标表不同，不能恢复到其中；请恢复到新的数据库",
    "R003": "备份中没有这个文件的内容（SHA-256 {sha256}），或内容与 SHA-256 不符；请使用完整的备份压缩包",
}

# A 佐证材料 file (data_model.sniff checks its content, data_model.evidence the rules around it).
EVIDENCE = {
    "F001": "文件「{name}」是空文件（0 字节），未保存；请选择正确的文件",
    "F002": "文件「{name}」大小 {size}，超过上限 {limit}，未保存；请压缩或拆分后再上传",
    "F003": (
        "文件「{name}」的类型（{suffix}）不能作为佐证材料；"
        "只接受 PDF、JPEG/PNG 图片、Word（.docx）、Excel（.xlsx）和 OFD 文件"
    ),
    "F004": "文件「{name}」的内容是可执行程序，不是{wanted}文件，为安全起见不能上传",
    "F005": "文件「{name}」的内容是{found}，与扩展名「{suffix}」不符，未保存；请改正扩展名或选择正确的文件",
    "F006": "文件「{name}」的内容不是有效的{wanted}文件，未保存；请用原程序打开后另存，再上传",
    "F007": "文件「{name}」设置了密码（已加密），审阅人无法打开，未保存；请取消密码后再上传",
    "F008": "文件「{name}」已损坏或不完整（{what}），未保存；请用原程序重新保存后再上传",
    "F009": "文件「{name}」含有宏，为安全起见不能上传；请另存为不含宏的 .docx 或 .xlsx 后再上传",
    "F010": "文件「{name}」是旧版 Office 文件（.doc / .xls），未保存；请另存为 .docx 或 .xlsx 后再上传",
    "F011": "指标「{indicator}」已有相同内容的佐证材料「{existing}」（{who}，{when} 上传），无需重复上传",
    "F012": "{role}不能上传佐证材料；如需上传，请联系工作人员或评价人员",
    "F013": "只有上传人（{who}）或管理员可以删除佐证材料「{existing}」",
    "F014": "自评已定稿，佐证材料「{existing}」不能删除；自评重新打开（修改任一评定、偏差原因或自评文字）后才能删除",
    "F015": "项目中没有序号为 {seq} 的指标",
    "F016": "佐证材料（编号 {id}）不存在或已被删除",
}

CATALOGUE = UPLOAD | IMPORT | PERFORMANCE_TABLE | BACKUP | EVIDENCE


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None  # as Excel numbers it
    column: str | None = None

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W")

    def text(self) -> str:
        where = ""
        if self.sheet:
            where += f"工作表「{self.sheet}」"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}：{self.message}" if where else self.message


def problem(
    entry: str, sheet: str | None = None, row: int | None = None, column: str | None = None, /, **values
) -> Problem:
    """The problem of the catalogue's `entry` (a code, or `CODE.what`) at a place, its template filled with `values`."""
    # Positional-only, because the templates' own {sheet} and {column} arrive as keywords.
    return Problem(entry.partition(".")[0], CATALOGUE[entry].format(**values), sheet, row, column)


class UserError(Exception):
    """A refusal whose message is Chinese and safe to show as it is."""


# What a page shows instead of a traceback while the database cannot be reached (restarting, network down);
# the next click tries again (data_model.db.unreachable, pages.common.database_guard).
DATABASE_UNAVAILABLE = "数据库暂时不可用，请稍后重试"


class WorkbookRejected(UserError):
    """The workbook (an upload, a performance table or a backup) has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.text() for p in problems))
        self.problems = problems


class FileRefused(UserError):
    """A 佐证材料 file or a change to one is refused (the catalogue's Fxxx entries); nothing was written."""

    def __init__(self, code: str, **values):
        super().__init__(CATALOGUE[code].format(**values))
        self.code = code
