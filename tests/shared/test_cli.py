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
