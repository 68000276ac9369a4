# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Names of the records the module creates per company (tiers, credit grades),
in every installed language, as data files get theirs."""


def name_in_installed_languages(records, get_names, key="code"):
    """Write the ``name`` of ``records``, created in English, in every other
    installed language. ``get_names(records)`` returns ``{key: name}`` in the
    language of the records' environment (``env._`` on literal sources)."""
    english = get_names(records.with_context(lang="en_US"))
    for lang, _label in records.env["res.lang"].get_installed():
        if lang == "en_US":
            continue
        localized = records.with_context(lang=lang)
        names = get_names(localized)
        for record in localized:
            code = record[key]
            # A name renamed in this language is the company's own: kept.
            if names[code] != english[code] and record.name == english[code]:
                record.name = names[code]


def name_defaults_in_new_languages(env):
    """After a language is installed: the tiers and credit grades the module
    created in English get their names in it, as data records get theirs."""
    for model, get_names in (
        ("sale.customer.tier", lambda records: records._get_default_tier_names()),
        ("sale.credit.grade", lambda records: records._get_default_grade_names()),
    ):
        records = env[model].sudo().with_context(active_test=False).search([])
        if records:
            name_in_installed_languages(records, get_names)
