"""What one `tco-gate check` loads: only what its answer needs (start-up is most of a single-file run).

Each test runs a real check in a fresh interpreter, since an in-process run would see every module the
test session has already imported. Timings are never asserted (they live in bench/); these pin the
mechanisms the timings rest on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).parent
EXPLICIT_PRICES = TESTS / "cases" / "valid" / "discounted-36-months" / "finetune-proposal.yml"
CATALOG_PRICES = TESTS.parent / "examples" / "support-triage" / "finetune-proposal.yml"


def _python(program: str, *, cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    """The lines a fresh interpreter prints running `program`."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    return done.stdout.splitlines()


def _checked(proposal: Path, cwd: Path) -> set[str]:
    """Every module loaded by `tco-gate check PROPOSAL`, text format, run to its end."""
    program = f"""
        import contextlib, io, sys
        from tco_gate.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(['check', {str(proposal)!r}])
        print(code)
        print(' '.join(sorted(sys.modules)))
    """
    code, modules = _python(program, cwd=cwd)
    assert code in ("0", "1")  # judged: passed or failed, not refused
    return set(modules.split())


def _loaded(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if m.split(".")[0] in packages}


def test_a_check_with_catalog_prices_loads_the_price_data_but_not_the_updater(tmp_path: Path) -> None:
    modules = _checked(CATALOG_PRICES, tmp_path)
    assert {"genai_prices.data", "genai_prices.data_snapshot"} <= modules  # the prices came from the catalog
    # genai-prices' __init__ imports its updater and an HTTP client for fetches a gate never makes.
    assert "genai_prices.update_prices" not in modules
    assert _loaded(modules, "httpx", "httpx2", "httpcore", "anyio", "asyncio") == set()
    # The stand-in package is gone: a later `import genai_prices` would run the real one.
    assert "genai_prices" not in modules


def test_a_check_with_explicit_prices_loads_no_catalog_and_no_json_schema_validator(tmp_path: Path) -> None:
    modules = _checked(EXPLICIT_PRICES, tmp_path)
    assert "tco_gate.report.text" in modules  # the probe sees what the run imported
    assert _loaded(modules, "genai_prices", "jsonschema", "referencing", "httpx", "asyncio") == set()
    assert "difflib" not in modules  # only a misspelt key or catalog name needs close matches


def test_the_real_genai_prices_still_imports_after_a_catalog_lookup(tmp_path: Path) -> None:
    # After the lookup, a library user's own `import genai_prices` gets the full package, sharing the data.
    program = """
        from datetime import date
        from decimal import Decimal
        import sys
        from tco_gate.catalog import catalog_version, resolve_prices
        from tco_gate.models import Prompting
        prompting = Prompting.model_validate(
            {"provider": "openai", "model": "gpt-4.1-mini", "input_tokens_per_request": 1000,
             "output_tokens_per_request": 100}
        )
        prices = resolve_prices(prompting, date(2026, 11, 28))
        loaded_data = sys.modules["genai_prices.data"]
        import genai_prices
        usage = genai_prices.Usage(input_tokens=1_000_000, output_tokens=0)
        calculated = genai_prices.calc_price(usage, "gpt-4.1-mini", provider_id="openai")
        print(calculated.input_price == prices.input.usd_per_mtok)
        print(genai_prices.__version__ == catalog_version())
        print(genai_prices.data_snapshot.get_snapshot().providers is loaded_data.providers)
    """
    assert _python(program, cwd=tmp_path) == ["True", "True", "True"]


def test_building_the_models_reads_no_source_yet_the_schemas_keep_their_descriptions(tmp_path: Path) -> None:
    # The schemas' descriptions are the fields' docstrings, read from source only when a schema is generated.
    program = """
        import tco_gate.cli
        from tco_gate import field_docs, models
        print(field_docs._class_docs.cache_info().misses)
        print(models.Workload.model_fields['requests_per_month'].description)
        print(models.Workload.model_json_schema()['properties']['requests_per_month']['description'])
        print(field_docs._class_docs.cache_info().misses)
    """
    from tco_gate.models import Workload

    described = Workload.model_json_schema()["properties"]["requests_per_month"]["description"]
    assert _python(program, cwd=tmp_path) == ["0", "None", described, "1"]


def test_pydantic_plugins_installed_beside_tco_gate_never_see_its_validation(tmp_path: Path) -> None:
    # A plugin registered by another installed package, as pydantic discovers them: an entry point.
    site = tmp_path / "site"
    (site / "spy_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "spy_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n"
    )
    (site / "spy_plugin-1.0.dist-info" / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")
    (site / "spy_plugin.py").write_text(
        textwrap.dedent(
            """
            SEEN = []
            class _Spy:
                def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, settings):
                    SEEN.append(schema_type_path.name)
                    return None, None, None
            plugin = _Spy()
            """
        )
    )
    env = {"PYTHONPATH": str(site), "PYDANTIC_DISABLE_PLUGINS": ""}
    control = """
        import pydantic, spy_plugin
        class Probe(pydantic.BaseModel):
            x: int
        print(spy_plugin.SEEN)
    """
    assert _python(control, cwd=tmp_path, env=env) == ["['Probe']"]  # pydantic finds the plugin

    program = f"""
        import contextlib, io, spy_plugin
        from tco_gate.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            main(['check', {str(EXPLICIT_PRICES)!r}])
        print(spy_plugin.SEEN)
    """
    assert _python(program, cwd=tmp_path, env=env) == ["[]"]


def test_a_check_never_loads_the_package_metadata_machinery(tmp_path: Path) -> None:
    # pydantic's plugin loader would import importlib.metadata (and email) to look for plugins the tool has off.
    modules = _checked(EXPLICIT_PRICES, tmp_path)
    assert "importlib.metadata" not in modules and "email" not in modules
    assert modules >= {"tco_gate.models", "pydantic.plugin._schema_validator"}  # models were built all the same


def test_the_loader_the_tool_hands_pydantic_answers_as_pydantics_own_does_with_plugins_off(tmp_path: Path) -> None:
    program = """
        import os
        os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'
        from pydantic.plugin import _loader
        print(list(_loader.get_plugins()))
        from tco_gate.entry import _no_plugins
        print(list(_no_plugins().get_plugins()))
    """
    assert _python(program, cwd=tmp_path) == ["[]", "[]"]


def test_the_program_freezes_what_it_loaded_before_it_ends(tmp_path: Path) -> None:
    # The collection Python runs at shutdown then skips every model and module: the exit code is unchanged.
    program = f"""
        import gc, contextlib, io
        from tco_gate.cli import run
        with contextlib.redirect_stdout(io.StringIO()):
            code = run(['check', {str(EXPLICIT_PRICES)!r}])
        print(code, gc.get_freeze_count() > 10_000)
    """
    assert _python(program, cwd=tmp_path) == ["0 True"]
