# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Derive the Traditional Chinese (Taiwan) translation from the Simplified one.

zh_CN.po is the reviewed source: every msgstr of zh_TW.po is rewritten from it
with OpenCC (s2twp: Taiwan characters and phrases), then corrected with the
small OVERRIDES table below where OpenCC's wording does not fit a sales
department. Placeholders, HTML tags and QWeb expressions are never converted.
zh_TW.po keeps its own header (Language: zh_TW).

Developer tool only (not a module requirement):
    pip install opencc-python-reimplemented polib
Usage: python scripts/i18n_zh_tw.py [i18n folder]
"""

import re
import sys
from pathlib import Path

import polib
from opencc import OpenCC

# Replacements applied to OpenCC's output, one after the other in this order.
# Keys are what OpenCC writes, values what a Taiwanese sales department (and
# the company policy texts, written in Traditional characters) expect.
OVERRIDES = {
    # "Review" is the policy's 審核 (approval); 稽核 would mean an audit.
    "稽核": "審核",
    # 通過 = passed/approved; OpenCC's 透過 only means "by way of".
    "審核透過": "審核通過",
    "須透過": "須通過",
    "未透過": "未通過",
    "已透過": "已通過",
    # Authority to grant a discount, not a software permission.
    "許可權": "權限",
    # Items of the customer file, not projects.
    "專案": "項目",
    "程式碼": "代碼",
    "型別": "類型",
    "質量": "品質",
    "定製": "客製",
    "當前": "目前",
    "水平": "水準",
    "反饋": "回饋",
    "盈利": "獲利",
    "回款": "收款",
    "跟進": "追蹤",
    "工商登記": "公司登記",
    "ISO周": "ISO週",
    "須籤合同": "須簽合約",
    "合同": "合約",
    "均支援": "均支持",
    "關注物件": "關注對象",
    "查閱的檔案": "查閱的文件",
    "計劃任務": "排程任務",
    "演示資料": "示範資料",
    "新建": "新增",
    "提交併": "提交並",
    "“": "「",
    "”": "」",
    # Same words as Odoo's own zh_TW screens.
    "幣種": "貨幣",
    "關注者": "關注人",
    "合作伙伴": "業務夥伴",
    "已歸檔": "已封存",
    "運算元量": "動作數量",
    "日記賬分錄": "日記賬記項",
    "部分對賬": "部分核銷",
    "調撥": "轉移",
}

# Kept verbatim: %(name)s, %s, %%, {{ ... }}, HTML tags.
PROTECTED = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]"
    r"|%%"
    r"|%[-#0+]*\d*(?:\.\d+)?[sdifr]"
    r"|\{\{.*?\}\}"
    r"|<[^<>]*>",
    re.DOTALL,
)


def convert(converter, text):
    """Convert text outside the protected spans, then apply the overrides."""
    parts = []
    position = 0
    for match in PROTECTED.finditer(text):
        parts.append(_convert_plain(converter, text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_convert_plain(converter, text[position:]))
    return "".join(parts)


def _convert_plain(converter, text):
    if not text:
        return text
    result = converter.convert(text)
    for source, replacement in OVERRIDES.items():
        result = result.replace(source, replacement)
    return result


def main(folder):
    folder = Path(folder)
    source = polib.pofile(str(folder / "zh_CN.po"))
    target_path = folder / "zh_TW.po"
    target = polib.pofile(str(target_path))
    converter = OpenCC("s2twp")
    by_key = {(entry.msgctxt, entry.msgid): entry for entry in source}
    converted = untranslated = 0
    for entry in target:
        origin = by_key.get((entry.msgctxt, entry.msgid))
        if origin is None or not origin.msgstr or "fuzzy" in origin.flags:
            untranslated += 1
            continue
        text = convert(converter, origin.msgstr)
        if sorted(PROTECTED.findall(text)) != sorted(PROTECTED.findall(origin.msgstr)):
            raise ValueError(f"placeholders changed in {entry.msgid!r}")
        entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        converted += 1
    target.metadata["Language"] = "zh_TW"
    target.save(str(target_path))
    print(f"zh_TW: {converted} terms converted, {untranslated} left untranslated")
    return 1 if untranslated else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "i18n"
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else default))
