"""Templates render strict JSON: a missing value or broken JSON raises, never a partial card."""

from __future__ import annotations

import jinja2
import pytest

from baton.slack.render import Renderer, RenderError


def _renderer(**templates: str) -> Renderer:
    return Renderer(loader=jinja2.DictLoader(templates))


def test_a_value_with_quotes_newlines_and_mentions_stays_one_escaped_string() -> None:
    renderer = _renderer(t='[{"type": "section", "text": {"type": "mrkdwn", '
                         '"text": {{ name | mrkdwn | tojson }}}}]')
    blocks = renderer.blocks("t", name='Acme "Corp"\n<!channel> }], {')
    assert blocks == [{"type": "section", "text": {
        "type": "mrkdwn", "text": 'Acme "Corp"\n&lt;!channel&gt; }], {'}}]


def test_clip_filter_cuts_to_the_limit() -> None:
    renderer = _renderer(t='[{"text": {{ name | clip(5) | tojson }}}]')
    assert renderer.blocks("t", name="abcdefgh") == [{"text": "abcd…"}]


def test_a_value_json_cannot_hold_raises() -> None:
    with pytest.raises(RenderError, match="not JSON serializable"):
        _renderer(t="[{{ when | tojson }}]").blocks("t", when=object())


def test_a_missing_value_raises_naming_the_template() -> None:
    renderer = _renderer(card='[{"text": {{ company | tojson }}}]')
    with pytest.raises(RenderError, match="card.*company"):
        renderer.blocks("card")


def test_a_missing_attribute_raises() -> None:
    renderer = _renderer(card='[{"text": {{ lead.company | tojson }}}]')
    with pytest.raises(RenderError, match="company"):
        renderer.blocks("card", lead={})


def test_invalid_json_raises_instead_of_dropping_the_block() -> None:
    renderer = _renderer(card='[{"text": {{ name | tojson }}},]')
    with pytest.raises(RenderError, match="card rendered invalid JSON"):
        renderer.blocks("card", name="Acme")


def test_blocks_must_be_an_array_of_objects() -> None:
    renderer = _renderer(one='{"type": "divider"}', nums="[1, 2]")
    with pytest.raises(RenderError, match="JSON array"):
        renderer.blocks("one")
    with pytest.raises(RenderError, match="JSON array"):
        renderer.blocks("nums")


def test_a_view_must_be_an_object() -> None:
    with pytest.raises(RenderError, match="JSON object"):
        _renderer(v="[]").view("v")


def test_an_unknown_template_raises() -> None:
    with pytest.raises(RenderError, match="nowhere.j2"):
        _renderer().blocks("nowhere.j2")


def test_every_shipped_template_compiles() -> None:
    renderer = Renderer()
    names = renderer.env.list_templates(extensions=["j2"])
    assert {"intake.j2", "question.j2", "verdict.j2", "form.j2"} <= set(names)
    for name in names:
        renderer.env.get_template(name)
