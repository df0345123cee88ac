from shared.hubspot.text import html_to_text


def test_plain_text_passes_through():
    assert html_to_text("Call Dana before Friday") == "Call Dana before Friday"


def test_blocks_become_lines_and_entities_are_decoded():
    html = "<p>Dana &amp; Lee want pricing</p><ul><li>50 seats</li><li>SSO</li></ul>ok<br>bye"

    assert html_to_text(html) == "Dana & Lee want pricing\n- 50 seats\n- SSO\nok\nbye"


def test_scripts_and_styles_are_dropped():
    html = "<style>p{color:red}</style><p>Hello</p><script>alert(1)</script>"

    assert html_to_text(html) == "Hello"


def test_empty_values():
    assert html_to_text(None) == ""
    assert html_to_text("") == ""
    assert html_to_text("<p> \u00a0 </p>") == ""
