import json

from shared.cli import main
from shared.settings import load_settings


def test_flower_refuses_to_run_without_authentication_outside_development(capsys):
    assert main(["flower"]) == 2
    assert "FLOWER_BASIC_AUTH" in capsys.readouterr().err


def test_the_flower_password_is_a_secret_kept_out_of_logs(monkeypatch):
    monkeypatch.setenv("FLOWER_BASIC_AUTH", "ops:correct-horse-battery")

    settings = load_settings()

    assert "ops:correct-horse-battery" in settings.secret_values()
    assert "correct-horse" not in repr(settings)


def test_eval_prints_a_scorecard_for_the_repositorys_cases_or_a_given_file(
    tmp_path, capsys
) -> None:
    import yaml

    from tests.shared.evals.test_scoring import CASE

    cases = tmp_path / "cases.yaml"
    cases.write_text(yaml.safe_dump([CASE]))

    assert main(["eval", "--cases", str(cases), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["model"], figures["cases"], figures["answered"]) == ("local/heuristic", 1, 1)
    assert figures["results"][0]["id"] == "call-en-pricing"

    assert main(["eval"]) == 0  # evals/cases.yaml
    assert "| due date in the accepted range |" in capsys.readouterr().out
