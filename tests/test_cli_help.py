"""Both command-line tools explain themselves: what the tool is, and every command and option."""

import argparse

import pytest

import devstack.cli
import shared.cli

PARSERS = {"hubspot-ai": shared.cli._build_parser, "devstack": devstack.cli._build_parser}


def undocumented(parser: argparse.ArgumentParser, path: str = "") -> list[str]:
    """Commands and options, at any depth, that ``--help`` would list without a word."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            # A command added without help= has no entry in the list --help prints.
            described = {choice.dest for choice in action._choices_actions if choice.help}
            for name, command in action.choices.items():
                found += [] if name in described else [f"{path}{name}"]
                found += undocumented(command, f"{path}{name} ")
        elif not isinstance(action, argparse._HelpAction) and not action.help:
            found.append(f"{path}{'/'.join(action.option_strings) or action.dest}")
    return found


@pytest.mark.parametrize("tool", PARSERS)
def test_every_command_and_option_has_a_help_text(tool):
    assert undocumented(PARSERS[tool]()) == []


@pytest.mark.parametrize("tool", PARSERS)
def test_the_top_level_help_says_what_the_tool_is(tool):
    parser = PARSERS[tool]()
    module = shared.cli if tool == "hubspot-ai" else devstack.cli

    assert parser.description
    assert parser.description != module.__doc__


def test_an_option_or_command_without_help_is_found():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loud", action="store_true")
    commands = parser.add_subparsers(dest="command")
    quiet = commands.add_parser("quiet")
    quiet.add_argument("--level", help="how quiet")
    quiet.add_argument("target")
    commands.add_parser("documented", help="has a help text")

    assert undocumented(parser) == ["--loud", "quiet", "quiet target"]
