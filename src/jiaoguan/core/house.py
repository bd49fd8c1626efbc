"""The house: what each app brings, declared by the app and read here, in INSTALLED_APPS order.

An app's AppConfig has a method `declare()` returning a `Declaration`: its menu entries, its access
kinds, its importers, exporters and background jobs, its part of the work summary, the departments
whose summary it belongs to, its demo builder, its home-page to-dos and the files a backup must keep.
`core` never imports an app: it asks these declarations (docs/architecture.md, "Adding an app").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.apps import apps


@dataclass(frozen=True)
class MenuEntry:
    """An entry of the main menu: its label, the URL name it opens, and who sees it."""

    label: str
    url_name: str
    visible: Callable  # (actor) -> bool
    order: int = 100  # place in the menu; the registry's lists come first, the administrators' last


@dataclass(frozen=True)
class Kind:
    """An access kind: records of `model` reach a school (and perhaps a class, a staff member or a
    region) through the given paths; core.access turns an actor's role into a filter on them.

    `school`, `klass`, `staff`, `region` are ORM paths to the id (e.g. "student__school_id").
    `writers`: departments whose officers create and change it. `school_writes`, `township_writes`,
    `inspector_writes`: whether those roles change records of it inside their scope. `reference`: read by
    every signed-in role (regions, terms). `personal`: records hold ID numbers or phones, masked unless
    `can_see_full_personal`; `full_personal` names the departments whose officers may reveal them.
    `bureau_only`: schools and teachers do not see it at all (plans, budgets of the bureau)."""

    name: str
    model: str
    school: str | None = None
    klass: str | None = None
    staff: str | None = None
    region: str | None = None
    writers: frozenset = frozenset()
    school_writes: bool = False
    township_writes: bool = False
    inspector_writes: bool = False
    reference: bool = False
    personal: bool = False
    full_personal: frozenset = frozenset({"education", "personnel", "aid"})
    bureau_only: bool = False


@dataclass(frozen=True)
class Importer:
    """A kind of file import on the import page and `jiaoguan import KIND`: `access` is the access kind
    the actor must be able to write; `importer` a core.imports.Importer subclass."""

    kind: str
    access: str
    importer: type


@dataclass(frozen=True)
class Exporter:
    """A list exported by `jiaoguan export KIND` (and the app's own export pages): the records of the
    access kind `access` the actor may read, written by `write(kind, queryset, fmt, target, full=…,
    progress=…)` (`progress(rows_done)` every few thousand rows). `narrow(actor, kind, params)` gives
    the list as its page's filters narrow it, for an export too long for the page, run in the background
    (core.jobs.export_job_run); without it the whole list the actor reads."""

    kind: str
    access: str
    write: Callable
    narrow: Callable | None = None


@dataclass(frozen=True)
class SummarySection:
    """The app's part of the work summary. `facts(period, department)` returns core.facts.Fact; the
    writers get a core.facts.Writing and return sentences with {placeholders} of fact keys:
    `write` the heading and paragraphs of its part of 一、主要工作及成效 (or None when it has nothing to
    say), `problems` sentences of 二、存在的问题, `plans` sentences of 三、下一步工作打算."""

    facts: Callable
    write: Callable | None = None
    problems: Callable | None = None
    plans: Callable | None = None


@dataclass(frozen=True)
class Demo:
    """The app's part of the demo district: `build(seed, scale)` returns counts to print; `after` names
    the apps whose demo it needs built first; `logins` the demo accounts it adds (username, what)."""

    build: Callable
    after: tuple[str, ...] = ()
    exists: Callable | None = None  # () -> bool: the district is already there (registry only)
    logins: tuple[tuple[str, str], ...] = ()


@dataclass
class TodoItem:
    text: str
    url: str = ""
    note: str = ""


@dataclass
class Todo:
    """Something on the home page that waits for the user: a count with a link, maybe a few rows."""

    title: str
    url: str = ""
    count: int | None = None
    level: str = "amber"  # red, amber, green or info
    items: list[TodoItem] = field(default_factory=list)
    key: str = ""  # a stable id for the page and its tests


@dataclass(frozen=True)
class Declaration:
    menu: tuple[MenuEntry, ...] = ()
    kinds: tuple[Kind, ...] = ()
    reach: dict = field(default_factory=dict)  # role -> (actor) -> queryset of school ids (registry)
    region_reach: dict = field(default_factory=dict)  # role -> (actor) -> list of region ids (registry)
    importers: tuple[Importer, ...] = ()
    exporters: tuple[Exporter, ...] = ()
    jobs: dict = field(default_factory=dict)  # job kind -> runner(job, progress)
    summary: SummarySection | None = None
    departments: frozenset = frozenset()  # departments whose summary includes this app ("*": every one)
    demo: Demo | None = None
    todos: Callable | None = None  # (actor) -> list[Todo]
    files: Callable | None = None  # () -> list[Path]: folders in VAR_DIR a backup keeps (rules: core/backup.py)
    about: str = ""  # one line for the house's listing


@dataclass(frozen=True)
class App:
    label: str
    name: str
    verbose_name: str
    declaration: Declaration


@cache
def installed() -> tuple[App, ...]:
    """Every app that declares what it brings, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        declare = getattr(config, "declare", None)
        if declare is not None:
            found.append(App(config.label, config.name, str(config.verbose_name), declare()))
    return tuple(found)


def app(label: str) -> App | None:
    return next((a for a in installed() if a.label == label), None)


def _each(attribute: str) -> Iterable:
    for a in installed():
        yield from getattr(a.declaration, attribute)


@cache
def kinds() -> dict[str, Kind]:
    found: dict[str, Kind] = {}
    for kind in _each("kinds"):
        if kind.name in found:
            raise ValueError(f"Two apps declare the access kind {kind.name!r}.")
        found[kind.name] = kind
    return found


def kind(name: str) -> Kind:
    return kinds()[name]


def menu() -> list[MenuEntry]:
    return sorted(_each("menu"), key=lambda m: m.order)


def importers() -> dict[str, Importer]:
    return {i.kind: i for i in _each("importers")}


def exporters() -> dict[str, Exporter]:
    return {e.kind: e for e in _each("exporters")}


def jobs() -> dict[str, Callable]:
    found = {}
    for a in installed():
        found.update(a.declaration.jobs)
    return found


def reach(role: str) -> Callable | None:
    return next((a.declaration.reach[role] for a in installed() if role in a.declaration.reach), None)


def region_reach(role: str) -> Callable | None:
    return next((a.declaration.region_reach[role] for a in installed() if role in a.declaration.region_reach), None)


def summary_sections(department: str | None = None) -> list[tuple[App, SummarySection]]:
    """The apps' summary parts, in order; a department's summary takes the apps of its work."""
    return [(a, a.declaration.summary) for a in installed() if a.declaration.summary is not None and (
        not department or department in a.declaration.departments or "*" in a.declaration.departments)]


def demos() -> list[tuple[App, Demo]]:
    """Demo builders ordered so that each comes after the apps it needs."""
    pending = {a.label: a for a in installed() if a.declaration.demo is not None}
    ordered, done = [], set()
    while pending:
        ready = [a for a in pending.values() if all(d in done or d not in pending for d in a.declaration.demo.after)]
        if not ready:
            raise ValueError(f"Demo builders wait on each other: {sorted(pending)}")
        for a in ready:
            ordered.append((a, a.declaration.demo))
            done.add(a.label)
            del pending[a.label]
    return ordered


def todos(actor) -> list[Todo]:
    return [todo for a in installed() if a.declaration.todos for todo in a.declaration.todos(actor)]


def files() -> list[tuple[str, Path]]:
    """(app label, folder) for every folder an app keeps besides the database (core.backup archives them)."""
    return [(a.label, Path(p)) for a in installed() if a.declaration.files for p in a.declaration.files()]


def url_names(label: str) -> list[str]:
    """The URL names an app's urls module (namespace = its label) declares."""
    from django.urls import get_resolver

    names = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == label:
            names += [f"{label}:{p.name}" for p in pattern.url_patterns if getattr(p, "name", None)]
    return sorted(names)


def listing() -> list[dict]:
    """Every app's contributions in words, for the house page and `jiaoguan house`."""
    rows = []
    for a in installed():
        d = a.declaration
        rows.append({
            "label": a.label, "name": a.verbose_name, "about": d.about,
            "menu": [f"{m.label} ({m.url_name})" for m in d.menu],
            "kinds": [f"{k.name}: {k.model}" + (f" → {k.school}" if k.school else "")
                      + (f", {k.region}" if k.region else "")
                      + (f" [{', '.join(sorted(k.writers))}]" if k.writers else "") for k in d.kinds],
            "importers": [f"{i.kind} ({i.access})" for i in d.importers],
            "exporters": [f"{e.kind} ({e.access})" for e in d.exporters],
            "jobs": sorted(d.jobs),
            "summary": bool(d.summary), "departments": sorted(d.departments),
            "demo": (["after " + ", ".join(d.demo.after)] if d.demo and d.demo.after else ["yes"]) if d.demo else [],
            "todos": bool(d.todos),
            "files": [str(p) for p in d.files()] if d.files else [],
            "reach": sorted(str(r) for r in [*d.reach, *d.region_reach]),
            "urls": url_names(a.label),
        })
    return rows
