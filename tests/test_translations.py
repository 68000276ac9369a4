# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import os
import re

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from .common import load_chinese

LANGUAGES = ("zh_CN", "zh_TW")
# Named (%(name)s) and positional (%s, %d) placeholders of Python strings.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]")


def get_i18n_path(filename):
    return os.path.join(get_module_path("sale_process_control"), "i18n", filename)


def read_catalog(path):
    """Parse the .pot or .po file at ``path``; fail clearly if it is missing."""
    if not os.path.isfile(path):
        raise AssertionError(f"Translation file {path} does not exist.")
    return polib.pofile(path)


def check_translations(pot_path, po_path):
    """Return the problems of the .po file at ``po_path`` against the
    template at ``pot_path``, one line each: terms of the template without
    a translation, fuzzy entries, and translations that lose or add
    placeholders."""
    template = read_catalog(pot_path)
    catalog = read_catalog(po_path)
    translations = {
        (entry.msgctxt, entry.msgid): entry for entry in catalog if not entry.obsolete
    }
    problems = []
    for term in template:
        if term.obsolete:
            continue
        entry = translations.get((term.msgctxt, term.msgid))
        if entry is None or not entry.msgstr.strip():
            problems.append(f"untranslated: {term.msgid!r}")
    for entry in catalog.fuzzy_entries():
        problems.append(f"fuzzy: {entry.msgid!r}")
    for entry in catalog.translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if sorted(PLACEHOLDER.findall(entry.msgstr)) != expected:
            problems.append(
                f"placeholders {expected} not kept: {entry.msgid!r} -> {entry.msgstr!r}"
            )
    return problems


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every term of the module is translated into Chinese (R-43)."""

    def test_translations_complete(self):
        pot_path = get_i18n_path("sale_process_control.pot")
        for language in LANGUAGES:
            with self.subTest(language=language):
                po_path = get_i18n_path(f"{language}.po")
                problems = check_translations(pot_path, po_path)
                if problems:
                    self.fail(
                        f"{po_path} has {len(problems)} problem(s):\n"
                        + "\n".join(problems)
                    )

    def test_template_has_module_terms(self):
        # An empty or truncated template would make the test above pass.
        template = read_catalog(get_i18n_path("sale_process_control.pot"))
        msgids = {entry.msgid for entry in template}
        for term in ("Sales Process Control", "Department Head", "Customers & Visits"):
            with self.subTest(term=term):
                self.assertIn(term, msgids)

    def test_translations_loaded(self):
        # The .po files are what Odoo loads: a translated menu shows in Chinese.
        load_chinese(self.env, overwrite=True)
        menu = self.env.ref("sale_process_control.review_menu")
        name = menu.with_context(lang="zh_CN").name
        self.assertNotEqual(name, "Reviews")
        catalog = read_catalog(get_i18n_path("zh_CN.po"))
        self.assertEqual(name, catalog.find("Reviews").msgstr)
