"""Every bench run leaves its tables in the results file: date, machine, command, figures."""

import os
import re

from bench.common import RESULTS, results_append, table_format


def test_a_run_appends_a_dated_section_with_the_machine_and_its_tables(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["bench/run.py", "--rounds", "60"])
    target = tmp_path / "results.md"
    table = "### Bench\n\n" + table_format(header=["Case", "Ratio"], rows=[["List", "7.2"]])

    results_append(bench="run.py", tables=[table, "Publishing cost: 15.1 ms"], path=target)
    results_append(bench="export.py", tables=["| a |\n|---|\n| 1 |"], path=target)

    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Bench results\n")
    sections = re.findall(r"^## (\d{4}-\d\d-\d\d \d\d:\d\d UTC): bench/(\S+)$", text, re.M)
    assert [name for _date, name in sections] == ["run.py", "export.py"]  # newest last
    assert f"{os.cpu_count()} CPUs" in text
    assert "- Command: `python bench/run.py --rounds 60`" in text
    assert "| List | 7.2   |" in text
    assert "Publishing cost: 15.1 ms" in text


def test_the_environment_can_send_a_run_elsewhere(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere.md"
    monkeypatch.setenv("BENCH_RESULTS", str(target))
    assert results_append(bench="load.py", tables=["| a |"]) == target
    assert "bench/load.py" in target.read_text(encoding="utf-8")


def test_the_results_file_in_the_repository_has_a_machine_for_every_run():
    text = RESULTS.read_text(encoding="utf-8")
    runs = re.findall(r"^## .+$", text, re.M)
    assert runs
    assert text.count("\n- Machine: ") == len(runs)
