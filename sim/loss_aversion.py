"""Loss aversion: a leader weighs what a text takes from it against the status quo more heavily
than what the text gives it.

Why. People value outcomes as gains and losses from a reference point, and a loss weighs about
twice as much as a gain of the same size (Kahneman & Tversky 1979, *Econometrica* 47(2);
Tversky & Kahneman 1991, *Quarterly Journal of Economics* 106(4)). In negotiation the reference
point is what one holds, so a concession past the status quo is a loss to its giver: negotiators
concede less and settle less often when concessions are framed as losses (Neale & Bazerman 1985,
*Academy of Management Journal* 28(1)), and the endowment effect narrows the range of trades
both sides accept (Kahneman, Knetsch & Thaler 1990, *Journal of Political Economy* 98(6)). In
international politics, Levy (1996, *International Political Science Review* 17(2)) and
Jervis (1992, *Political Psychology* 13(2)) argue that states defend what they hold harder than
they reach for what they lack, and that concessions are hard to sell at home because they are
losses. With linear utilities a logroll is worth making whenever the two sides' priorities
differ at all; with loss aversion ``lambda`` a trade of one issue for another past the status quo
must be worth ``lambda`` squared as much to the two sides together (the product of the ratios of
their weights), so leaders trade less of what they hold and fewer texts clear every floor.

The coefficient. A meta-analysis of 607 estimates from 150 studies puts the mean near 1.96,
with a 95% interval of about 1.8 to 2.1 (Brown, Imai, Vieider & Camerer 2024, *Journal of
Economic Literature* 62(2)). It is one value for every leader: no study measures a head of
government's. It shapes decisions only: what a leader offers, accepts, expects from the talks and
walks out over. Scoring keeps the common scale of docs/model.md, on which a gain and a loss of
the same size count the same, as historians count them. A scenario may set
``protocol.loss_aversion`` with its source, and 1 turns the mechanism off.
"""

LOSS_AVERSION = 1.96
PATH = "protocol.loss_aversion"
CITATION = ("Alexander L. Brown, Taisuke Imai, Ferdinand M. Vieider and Colin F. Camerer, \"Meta-Analysis of "
            "Empirical Estimates of Loss Aversion\", Journal of Economic Literature 62(2), 2024.")
SOURCE = ("brown2024: a meta-analysis of 607 estimates from 150 studies puts the mean loss-aversion "
          "coefficient near 1.96 (95% interval about 1.8 to 2.1)")
