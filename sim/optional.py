"""The optional fields of a scenario, as one worked example that ``summit new`` appends (commented
out) to every file it writes, so that a student sees each mechanism where it would be written.

``LEADER``, ``OTHER`` and ``ISSUE`` stand for a leader, another leader and an issue of the file;
``tests/test_cli.py`` fills them in from a shipped scenario and checks that the example validates.
"""

from __future__ import annotations

EXAMPLE = """\
protocol:
  mandate: talks                 # sign (default) or talks: a meeting that signs nothing
  mandate_source: "key: the meeting was to take each other's measure, not to sign"
  learning: none                 # offers (default): leaders learn the others' priorities from their offers
  learning_source: "key: why beliefs would not change at this table"
  walkouts: none                 # allowed (default): a leader may leave when nothing acceptable is in sight
  walkouts_source: "key: why no one could leave this table"
  agreements: whole              # in_parts (default): at the close, each issue each leader would sign
  agreements_source: "key: nothing was to be signed unless everything was"
  recognition: {uniform: [0.6, 0.9], source: "key: a one-on-one and a joint press conference on neutral ground"}
  loss_aversion: {value: 1.0, source: "key: why losses would weigh no more than gains here"}  # default about 1.96
  # turns: [OTHER, THIRD]        # at a table of three or more, who proposes after the first, in order;
  # turns_source: "key: the record of who spoke after whom"   # left out, each replay draws an order
  draft:                         # the text officials agreed before the summit, where the leaders start
    ISSUE: {value: 0.5, source: "key: the sherpas' text on this issue"}
  packages:                      # issues agreed together or not at all
    whole:
      issues: [ISSUE, ISSUE2]
      source: "key: nothing was agreed until everything was agreed"
leaders:
  LEADER:
    standing: {uniform: [0.8, 0.95], source: "key: the leader's international standing before the meeting"}
    side: west                   # leaders on one side do not count each other's allies as rivals'
    side_source: "key: the two concerted their line before the summit"
    sanctions_issue: ISSUE       # the issue this side's sanctions move
    sanctions_issue_source: "key: new sanctions would move this scale"
    requires: [ISSUE]            # a deal that leaves ISSUE at the status quo is unacceptable
    requires_source: "key: the leader would sign nothing without it"
    red_lines:                   # the least a deal must reach on an issue, toward this leader's ideal
      ISSUE: {uniform: [0.8, 0.9], source: "key: the leader's stated minimum"}
  OTHER:
    standing: {uniform: [0.4, 0.6], source: "key: the other leader's standing"}
mediators:
  broker:
    name: A broker
    bias: {value: 0.2, source: "key: how far the broker pulls texts toward its own view"}
    leverage: {value: 0.05, source: "key: what the broker pays each party for signing"}
    skill: {uniform: [0.5, 0.9], source: "key: how well the broker reads the parties' priorities"}
    leans_to: LEADER             # the broker's own view follows this leader's
    leans_to_source: "key: the broker was the leader's ally"
    payments:                    # a party paid differently from leverage
      OTHER: {value: 0.2, source: "key: aid promised to this party alone"}
    persuasion:                  # how far the broker talks a party down toward its reservation
      OTHER: {value: 0.3, source: "key: the broker's hold over this party"}
    drafting: logroll            # middle (default) or logroll: each issue to the party that cares most
    drafting_source: "key: the texts traded issues across the agenda"
events:
  shock-before-the-vote:
    label: A crisis between the signing and the legislature's vote
    when: vote                   # pre, a round number, vote (after the summit, before ratification) or post
    probability: {value: 0.5, source: "key: how likely such a crisis was"}
    effects:
      - {target: leaders.LEADER.meeting_cost, add: 0.01}
  new-leader:
    label: A new leader takes the seat
    when: 3
    probability: {value: 0.2, source: "key: an election result expected during the talks"}
    replaces: {leader: LEADER, name: The successor, tactic: linear}
    effects:
      - {target: leaders.LEADER.preparation, set: 0.3}
"""


def commented() -> str:
    """The example as YAML comments, to append to a new scenario file."""
    head = ("\n# Optional mechanisms (see docs/scenarios.md and 'summit schema'): uncomment what the record\n"
            "# supports, replace LEADER, OTHER and ISSUE, and give each value its own source.\n")
    return head + "".join(f"# {line}\n" if line else "#\n" for line in EXAMPLE.splitlines())
