#!/usr/bin/env bash
# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
#
# The linters of sale_process_control. The hooks are listed in
# .pre-commit-config.yaml; the tools come from the project's virtualenv
# (requirements-dev.txt), so nothing is fetched from the network.
#   scripts/lint.sh               every hook over every tracked and untracked
#                                 (not ignored) file; changes nothing
#   scripts/lint.sh --fix         first apply the automatic fixes (ruff, ruff format,
#                                 trailing whitespace, final newline), then check
#   scripts/lint.sh HOOK FILE...  one hook (what .pre-commit-config.yaml calls)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-${SPC_VENV:-${SPC_HOME:-$HOME/.cache/sale_process_control}/venv}}"
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"
# Keep ruff's cache out of the checkout.
export RUFF_CACHE_DIR="${RUFF_CACHE_DIR:-$(dirname "$VENV")/ruff-cache}"

# OCA checks left out, each for a reason:
#   prefer-readme-rst: the documentation of this project is Markdown (README.md, readme/).
#   xml-header-wrong: we write Odoo core's header <?xml version="1.0" encoding="utf-8"?>,
#     which the "xml" hook below enforces instead.
#   xml-field-numeric-without-eval: Odoo converts field text by field type; core data
#     files write <field name="sequence">10</field> too.
#   weblate-component-too-long: translations are not managed on Weblate.
#   xml-deprecated-res-groups-category-id: an Odoo 19 change; category_id is right on 18.0.
OCA_MODULE_DISABLED="prefer-readme-rst,xml-header-wrong,xml-field-numeric-without-eval"
OCA_MODULE_DISABLED+=",weblate-component-too-long,xml-deprecated-res-groups-category-id"
#   po-pretty-format: the .po files are written by Odoo's export and
#     scripts/i18n_update.py in Odoo's order, never reformatted by hand.
OCA_PO_DISABLED="po-pretty-format"

say() { printf '\033[1m[lint]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[lint]\033[0m %s\n' "$*" >&2; exit 1; }

[ -x "$PY" ] || die "No virtualenv at $VENV: run 'make setup' first."

# Every file git knows or would add: tracked and untracked, not ignored, present.
repo_files() {
    git -C "$REPO" ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do [ -f "$REPO/$f" ] && printf '%s\0' "$f"; done
}

# OCA's module checker looks for the manifest strictly below the git top level;
# here the top level is the module itself, so it is given the manifest directly.
hook_odoo_module() {
    "$PY" - "$REPO" "$OCA_MODULE_DISABLED" <<'PYEOF'
import os
import sys

from oca_pre_commit_hooks import checks_odoo_module

repo, disabled = sys.argv[1], set(sys.argv[2].split(","))
manifest = os.path.join(repo, "__manifest__.py")
checks_odoo_module.lookup_manifest_paths = lambda paths: {manifest: set(paths)}
checks_odoo_module.main(files_or_modules=[repo], disable=disabled)
PYEOF
}

# Well-formed XML with Odoo core's layout: the header line, an <odoo> root for data
# files, four spaces of indentation per level and no tabs.
hook_xml() {
    "$PY" - "$@" <<'PYEOF'
import sys

from lxml import etree

HEADER = '<?xml version="1.0" encoding="utf-8"?>'
problems = []


def tag_indent(lines, node):
    """Indentation of the line where node starts, None if text precedes it."""
    line = lines[node.sourceline - 1]
    stripped = line.lstrip(" ")
    return len(line) - len(stripped) if stripped.startswith("<") else None


for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        raw = handle.read()
    lines = raw.decode("utf-8", "replace").split("\n")
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        problems.append(f"{path}:{exc.lineno or 1}: not well-formed: {exc.msg}")
        continue
    if lines[0] != HEADER:
        problems.append(f"{path}:1: the first line must be {HEADER}")
    if not path.startswith("static/") and root.tag != "odoo":
        problems.append(f"{path}:{root.sourceline}: the root element must be <odoo>")
    for number, line in enumerate(lines, 1):
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            problems.append(f"{path}:{number}: tab in the indentation")
    for node in root.iterdescendants():
        parent, previous = node.getparent(), node.getprevious()
        if node.sourceline == parent.sourceline or (
            previous is not None and previous.sourceline == node.sourceline
        ):
            continue
        indent, parent_indent = tag_indent(lines, node), tag_indent(lines, parent)
        if indent is None or parent_indent is None:
            continue
        if indent != parent_indent + 4:
            problems.append(
                f"{path}:{node.sourceline}: indented {indent} spaces, expected "
                f"{parent_indent + 4} (four more than line {parent.sourceline})"
            )
print("\n".join(problems))
sys.exit(1 if problems else 0)
PYEOF
}

hook_shell() {
    local f rc=0
    for f in "$@"; do bash -n "$f" || rc=1; done
    return "$rc"
}

run_hook() {
    local hook="$1"
    shift
    cd "$REPO"
    case "$hook" in
        ruff) ruff check --force-exclude "$@" ;;
        ruff-format) ruff format --check --force-exclude "$@" ;;
        pylint) pylint --rcfile="$REPO/.pylintrc" "$@" ;;
        odoo-module) hook_odoo_module ;;
        odoo-po) oca-checks-po --disable="$OCA_PO_DISABLED" "$@" ;;
        xml) hook_xml "$@" ;;
        shell) hook_shell "$@" ;;
        venv) exec "$VENV/bin/$1" "${@:2}" ;;
        *) die "unknown hook '$hook'" ;;
    esac
}

fix_all() {
    local py=() text=() f
    while IFS= read -r -d '' f; do
        case "$f" in
            *.py) py+=("$f") ;;
        esac
        # Text files only: grep -I treats binary files (PNG, PDF) as not matching.
        grep -Iq . "$f" 2>/dev/null && text+=("$f")
    done < <(repo_files)
    say "Applying automatic fixes"
    ((${#py[@]})) && { ruff check --fix --force-exclude "${py[@]}" >/dev/null || true; }
    ((${#py[@]})) && ruff format --force-exclude "${py[@]}"
    if ((${#text[@]})); then
        trailing-whitespace-fixer "${text[@]}" || true
        end-of-file-fixer "${text[@]}" || true
    fi
}

check_all() {
    local files=()
    command -v git >/dev/null && git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 \
        || die "$REPO is not a git checkout; the hooks run on git's list of files."
    mapfile -d '' files < <(repo_files)
    say "Running the hooks of .pre-commit-config.yaml on ${#files[@]} files"
    cd "$REPO"
    pre-commit run --config "$REPO/.pre-commit-config.yaml" --show-diff-on-failure \
        --files "${files[@]}"
}

case "${1:-}" in
    "") check_all ;;
    --fix) cd "$REPO"; fix_all; check_all ;;
    -h | --help) sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) run_hook "$@" ;;
esac
