"""The README's configuration table names every setting the service reads."""

from shared.settings import PROJECT_ROOT, Settings


def test_every_setting_is_documented():
    readme = (PROJECT_ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]

    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in table]

    assert not missing, f"add these to the README's configuration table: {missing}"


def test_the_two_quickstart_commands_come_first():
    readme = (PROJECT_ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]

    assert quickstart.index("make run") < quickstart.index("make test")
