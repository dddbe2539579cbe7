"""Word lists for attribution extraction: reporting verbs, pronouns and source nouns."""

from __future__ import annotations

# Verbs that introduce what somebody says, writes, thinks or wants (lemmas).
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell report add warn announce state claim deny insist argue believe acknowledge note write
    explain confirm suggest ask agree predict reply respond recall admit allege assert comment
    concede contend declare emphasize emphasise estimate find hope indicate maintain mention point
    promise pledge reveal stress testify think tweet urge vow worry fear complain criticize
    criticise accuse threaten expect speculate show conclude disclose observe remark reiterate
    signal boast charge counter demand describe dispute doubt forecast guarantee hint imply inform
    joke know learn propose question reckon recommend remind repeat scoff shout suspect swear
    underline underscore want plan cite call continue caution contend insist lament muse
    acknowledge announce assure brief complain declare decry condemn denounce blast slam praise
    welcome applaud endorse support oppose reject refuse seek push wonder feel assume guess
    conclude determine decide demand insist recommend advise order instruct vow promise pledge
    hint imply reaffirm affirm allege accuse confirm testify tweet post blog quip retort snap
    sneer mock tout trumpet highlight stress caution warn predict project estimate calculate
    figure suppose presume understand realize recognize remember see consider regard view
    """.split()
)

# Verbs whose content is usually an infinitive clause ("pledged to impose sanctions").
XCOMP_VERBS: frozenset[str] = frozenset(
    """
    pledge promise vow plan want refuse agree threaten urge seek hope expect decide offer
    demand ask call push intend aim propose claim appear seem vote
    """.split()
)

# Verbs whose content may be a plain object ("denied the report", "cited a poll").
DOBJ_VERBS: frozenset[str] = frozenset(
    """
    announce deny cite mention criticize criticise describe acknowledge confirm reveal report
    propose support oppose reject endorse praise condemn denounce blast slam welcome applaud
    question dispute demand predict estimate call tweet post recommend disclose highlight tout
    decry lament
    """.split()
)

# Prepositions that carry content after some verbs ("called for talks", "called on Kiev to ...").
PREP_CONTENT: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "push": frozenset({"for"}),
    "argue": frozenset({"for", "against"}),
    "warn": frozenset({"of", "against", "about"}),
    "complain": frozenset({"about", "of"}),
    "speak": frozenset({"about", "of"}),
    "talk": frozenset({"about", "of"}),
    "vote": frozenset({"for", "against"}),
    "worry": frozenset({"about"}),
    "agree": frozenset({"on", "to", "with"}),
}

# Verbs that only count as cues with a clausal complement (too ambiguous otherwise).
NEEDS_CLAUSE: frozenset[str] = frozenset(
    """
    know learn see feel find understand realize recognize remember consider figure suppose
    show point think add continue hope fear expect assume guess regard view determine decide
    """.split()
)

PERSON_PRONOUNS: dict[str, str] = {
    "he": "m",
    "him": "m",
    "his": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
}
PLURAL_PRONOUNS: frozenset[str] = frozenset({"they", "them", "their"})
NEUTER_PRONOUNS: frozenset[str] = frozenset({"it", "its"})
RELATIVE_PRONOUNS: frozenset[str] = frozenset({"who", "which", "that", "whom"})
FIRST_SECOND: frozenset[str] = frozenset({"i", "we", "you", "me", "us"})
ALL_PRONOUNS: frozenset[str] = (
    frozenset(PERSON_PRONOUNS) | PLURAL_PRONOUNS | NEUTER_PRONOUNS | RELATIVE_PRONOUNS | FIRST_SECOND
)

MALE_TITLES: frozenset[str] = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father"})
FEMALE_TITLES: frozenset[str] = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "queen", "princess", "dame"}
)

# Nouns for organisations, used when resolving "it"/"the agency"-like sources.
ORG_NOUNS: frozenset[str] = frozenset(
    """
    agency ministry government office department kremlin white house company firm newspaper
    paper outlet network channel campaign committee party council court commission administration
    embassy service union bank fund group organization organisation institute center centre
    report study poll survey statement police army military board
    """.split()
)

# Verbs that may follow their content: "The plan will fail, he said."
INVERSION_VERBS: frozenset[str] = frozenset(
    """
    say tell add write note report explain argue claim insist warn state announce continue
    predict acknowledge admit confirm recall reply respond declare emphasize stress tweet
    conclude observe remark reiterate caution complain suggest estimate think believe
    """.split()
)

# Nouns that name the same role ("the speaker" for an earlier "spokesman").
ROLE_SYNONYMS: dict[str, frozenset[str]] = {
    "spokesman": frozenset({"spokesman", "spokeswoman", "spokesperson", "speaker", "representative"}),
    "spokeswoman": frozenset({"spokesman", "spokeswoman", "spokesperson", "speaker"}),
    "spokesperson": frozenset({"spokesman", "spokeswoman", "spokesperson", "speaker"}),
    "speaker": frozenset({"spokesman", "spokeswoman", "spokesperson", "speaker"}),
    "representative": frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"}),
    "minister": frozenset({"minister", "secretary"}),
    "senator": frozenset({"senator", "sen", "sen."}),
    "governor": frozenset({"governor", "gov", "gov."}),
    "congressman": frozenset({"congressman", "rep", "rep.", "representative"}),
    "congresswoman": frozenset({"congresswoman", "rep", "rep.", "representative"}),
    "secretary": frozenset({"secretary", "minister"}),
    "president": frozenset({"president", "leader"}),
    "leader": frozenset({"leader", "president", "chairman"}),
    "diplomat": frozenset({"diplomat", "minister", "envoy", "ambassador"}),
}

# Person nouns a definite description may stand for ("the senator said" -> the senator named before).
PERSON_ROLE_NOUNS: frozenset[str] = frozenset(
    """
    senator governor president minister spokesman spokeswoman spokesperson candidate nominee
    congressman congresswoman chairman chairwoman secretary diplomat ambassador envoy adviser
    advisor mayor premier chancellor leader official lawmaker prosecutor judge general
    businessman billionaire mogul republican democrat executive director chief king queen
    prince pope speaker representative
    """.split()
)

# Common given names with a clear gender, for he/she agreement (a name not listed is unknown).
FEMALE_NAMES: frozenset[str] = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
    nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
    diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith
    megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn
    janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly
    isabella theresa diana natalie brittany charlotte marie kayla alexis lori hillary hilary
    chelsea melania ivanka nikki kamala nancy elaine claire dianne kellyanne huma hope sonia
    angela theresa marine ursula christine jacinda sanna giorgia yulia olena iryna natalia
    olga svetlana tatiana irina elena anna maria sofia lucia carmen ana rosa alicia liz beth
    kate katie jane jill michele gwen tammy tulsi loretta sheila debbie susana megyn
    """.split()
)
MALE_NAMES: frozenset[str] = frozenset(
    """
    james robert john michael david william richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
    tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy
    christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse
    jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy
    vincent ralph eugene russell bobby mason philip louis barack bernie mike mitch ted marco
    rand chris jeb newt rudy rex vladimir dmitry sergei sergey yuri boris xi wang emmanuel
    olaf rishi volodymyr dmytro recep narendra benjamin tim ban antonio jens joe hunter
    reince sean kellan bill hank jim tom bob dick al lindsey orrin chuck harry
    """.split()
)

# Verbs with a clausal complement that do not report anything ("make sure that", "mean that").
NOT_CUES: frozenset[str] = frozenset(
    """
    be have do make mean ensure seem appear happen turn get let help cause go come take give
    put keep become remain look sound matter depend prove emerge result
    """.split()
)
