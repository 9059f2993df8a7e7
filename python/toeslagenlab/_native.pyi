"""Type stubs of the compiled module toeslagenlab._native (python/src/lib.rs)."""

import os
from typing import Any, Dict, List, Optional, Tuple, Union

_Path = Union[str, "os.PathLike[str]"]

class ToeslagenlabError(Exception):
    """Any error of toeslagenlab; ``exit_code`` is what the command line would exit with."""

    exit_code: int

class ScenarioError(ToeslagenlabError):
    """A located problem in a scenario or household file (the first one; ``problems`` has all)."""

    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    key: Optional[str]
    problems: List[Dict[str, Any]]

class UsageError(ToeslagenlabError):
    """A bad argument."""

def run_to_dir(
    scenario: _Path,
    out: _Path,
    households: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    overrides: List[Tuple[str, str]] = ...,
    monthly: bool = False,
    households_csv: bool = False,
    progress: bool = False,
    lang: str = "en",
) -> str: ...
def uncertainty_to_dir(
    scenario: _Path,
    out: _Path,
    draws: Optional[int] = None,
    households: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: bool = False,
    lang: str = "en",
) -> str: ...
def validate(scenario: _Path) -> Tuple[str, List[str], int, str, int, int]: ...
def calc_json(
    year: Optional[int] = None,
    income: Optional[str] = None,
    partner: bool = False,
    partner_income: Optional[str] = None,
    assets: Optional[str] = None,
    rent: Optional[str] = None,
    persons: Optional[int] = None,
    co_resident_income: List[str] = ...,
    age: Optional[str] = None,
    partner_age: Optional[str] = None,
    child: List[str] = ...,
    household: Optional[_Path] = None,
) -> str: ...
def params_json(year: int) -> str: ...
def scenario_toml(json: str) -> str: ...
def version() -> str: ...
