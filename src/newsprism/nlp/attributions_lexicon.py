"""Word lists for attribution extraction: reporting verbs, pronouns, role and given names."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce what somebody says, writes, thinks or wants (lemmas).
SPEECH_VERBS: frozenset[str] = _words(
    """
    accuse acknowledge add admit advise affirm agree allege announce applaud argue ask
    assert assume assure believe blast blog boast brief calculate call caution charge cite
    claim comment complain concede conclude condemn confirm consider contend continue
    counter criticise criticize decide declare decry demand denounce deny describe determine
    disclose dispute doubt emphasise emphasize endorse estimate expect explain fear feel
    figure find forecast guarantee guess highlight hint hope imply indicate inform insist
    instruct joke know lament learn maintain mention mock muse note observe oppose order
    plan pledge point post praise predict presume project promise propose push question quip
    reaffirm realize recall reckon recognize recommend refuse regard reiterate reject remark
    remember remind repeat reply report respond retort reveal say scoff see seek shout show
    signal slam snap sneer speculate state stress suggest support suppose suspect swear tell
    testify think threaten tout trumpet tweet underline underscore understand urge view vow
    want warn welcome wonder worry write
    """
)

# Verbs whose content is usually an infinitive clause ("pledged to impose sanctions").
XCOMP_VERBS: frozenset[str] = _words(
    """
    agree aim appear ask call claim decide demand expect hope intend offer plan pledge
    promise propose push refuse seek seem threaten urge vote vow want
    """
)

# Adjectives that hold a stance toward what follows them ("critical of the plan", "reluctant
# to endorse him"): "Who said what" lists them as what their holder stands for.
STANCE_ADJECTIVES: frozenset[str] = _words(
    """
    critical skeptical sceptical suspicious wary optimistic pessimistic hopeful adamant
    supportive confident certain sure convinced opposed concerned worried doubtful fearful
    dismissive firm insistent clear unhappy happy pleased satisfied disappointed reluctant
    eager willing unwilling ready determined committed devoted aware proud ashamed sorry
    grateful angry furious
    """
)

# Verbs whose content may be a plain object ("denied the report", "cited a poll").
DOBJ_VERBS: frozenset[str] = _words(
    """
    acknowledge announce applaud blast call cite condemn confirm criticise criticize decry
    demand denounce deny describe disclose dispute endorse estimate highlight lament mention
    oppose post praise predict propose question recommend reject report reveal slam support
    tout tweet welcome show stress note unveil maintain accuse urge
    """
)

# Verbs whose object is who is asked to act ("urged Britain to release him"): part of what
# is said, with the infinitive after it.
ADDRESSEE_VERBS: frozenset[str] = _words(
    """
    advise ask beg call encourage implore instruct invite order persuade press push request
    tell urge warn
    """
)

# Prepositions that finish what is said of a verb's object ("accused the mayor of fraud",
# "blamed the council for the delay"): the object alone says nothing.
OBJECT_PREPS: dict[str, frozenset[str]] = {
    "accuse": _words("of"),
    "blame": _words("for"),
    "charge": _words("with"),
    "condemn": _words("for"),
    "criticise": _words("for"),
    "criticize": _words("for"),
    "praise": _words("for"),
}

# Prepositions that carry content after some verbs ("called for talks", "called on Kiev to ...").
PREP_CONTENT: dict[str, frozenset[str]] = {
    "call": _words("for on"),
    "push": _words("for"),
    "argue": _words("against for"),
    "warn": _words("about against of"),
    "complain": _words("about of"),
    "speak": _words("about of"),
    "talk": _words("about of"),
    "vote": _words("against for"),
    "worry": _words("about"),
    "agree": _words("on to with"),
}

# Verbs that only count as cues with a clausal complement (too ambiguous otherwise).
NEEDS_CLAUSE: frozenset[str] = _words(
    """
    add assume consider continue decide determine expect fear feel figure find guess hope
    know learn point realize recognize regard remember see suppose think understand
    view
    """
)

# Reporting verbs of an "as" clause that attributes the clause it modifies ("As Reuters
# reported, ...", "as stated in the ministry's message, ..."): the verbs of telling, not of
# thinking or expecting ("as expected", "as we know" attribute nothing).
AS_CLAUSE_VERBS: frozenset[str] = _words(
    """
    acknowledge add admit allege announce claim confirm declare describe disclose emphasise
    emphasize explain indicate inform mention note post predict report reveal say state
    stress tell testify tweet warn write
    """
)

# What a source publishes rather than who: "the Kremlin's message", "Davis' commentary" speak
# for their owner, who is the speaker.
DOCUMENT_NOUNS: frozenset[str] = _words(
    """
    announcement article blog bulletin column commentary communique editorial email letter memo
    message note notice op-ed post release report statement tweet website
    """
)

PERSON_PRONOUNS: dict[str, str] = {
    "he": "m",
    "him": "m",
    "his": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
}

PLURAL_PRONOUNS: frozenset[str] = _words(
    """
    their them they
    """
)

NEUTER_PRONOUNS: frozenset[str] = _words(
    """
    it its
    """
)

RELATIVE_PRONOUNS: frozenset[str] = _words(
    """
    that which who whom
    """
)

# Reflexive pronouns of the third person ("Sanders himself", "found himself ...").
REFLEXIVES: frozenset[str] = _words(
    """
    himself herself itself themselves
    """
)

FIRST_SECOND: frozenset[str] = _words(
    """
    i me us we you
    """
)

ALL_PRONOUNS: frozenset[str] = (
    frozenset(PERSON_PRONOUNS)
    | PLURAL_PRONOUNS
    | NEUTER_PRONOUNS
    | RELATIVE_PRONOUNS
    | FIRST_SECOND
)

MALE_TITLES: frozenset[str] = _words(
    """
    father king lord mr mr. prince sir
    """
)

FEMALE_TITLES: frozenset[str] = _words(
    """
    dame lady madam miss mrs mrs. ms ms. princess queen
    """
)

# Nouns for organisations, used when resolving "it"/"the agency"-like sources.
ORG_NOUNS: frozenset[str] = _words(
    """
    administration agency army bank board campaign center centre channel commission
    committee company council court department embassy firm fund government group house
    institute kremlin military ministry network newspaper office organisation organization
    outlet paper party police poll report service statement study survey union white
    """
)

# Verbs that may follow their content: "The plan will fail, he said."
INVERSION_VERBS: frozenset[str] = _words(
    """
    acknowledge add admit announce argue believe caution claim complain conclude confirm
    continue declare emphasize estimate explain insist note observe predict recall reiterate
    remark reply report respond say state stress suggest tell think tweet warn write
    """
)

# Nouns that name the same role ("the speaker" for an earlier "spokesman").
ROLE_SYNONYMS: dict[str, frozenset[str]] = {
    "spokesman": _words("representative speaker spokesman spokesperson spokeswoman"),
    "spokeswoman": _words("speaker spokesman spokesperson spokeswoman"),
    "spokesperson": _words("speaker spokesman spokesperson spokeswoman"),
    "speaker": _words("speaker spokesman spokesperson spokeswoman"),
    "representative": _words("representative spokesman spokesperson spokeswoman"),
    "minister": _words("minister secretary"),
    "senator": _words("sen sen. senator"),
    "governor": _words("gov gov. governor"),
    "congressman": _words("congressman rep rep. representative"),
    "congresswoman": _words("congresswoman rep rep. representative"),
    "secretary": _words("minister secretary"),
    "president": _words("leader president"),
    "leader": _words("chairman leader president"),
    "diplomat": _words("ambassador diplomat envoy minister"),
}

# Person nouns a definite description may stand for ("the senator said" -> the senator named before).
PERSON_ROLE_NOUNS: frozenset[str] = _words(
    """
    adviser advisor ambassador billionaire businessman candidate chairman chairwoman
    chancellor chief congressman congresswoman democrat diplomat director envoy executive
    general governor judge king lawmaker leader mayor minister mogul nominee official pope
    premier president prince prosecutor queen representative republican secretary senator
    speaker spokesman spokesperson spokeswoman
    """
)

# Relatives named by apposition ("Pinochet's son, Augusto"): the first name is the
# relative's, never the full name of the one they are related to.
KIN_NOUNS: frozenset[str] = _words(
    """
    aunt brother cousin daughter father granddaughter grandfather grandmother grandson
    husband mother nephew niece sister son uncle widow widower wife
    """
)

# What an apposition can call a person and nothing else ("X, 52, a founder of the party",
# "X, the novelist"): the role nouns and some more (not "member": a country is one too).
PERSON_NOUNS: frozenset[str] = (
    PERSON_ROLE_NOUNS
    | KIN_NOUNS
    | _words(
        """
        activist actor actress attorney author bishop campaigner coach dissident doctor
        economist founder journalist lawyer legislator man novelist physician physicist pilot
        player poet priest professor scientist singer student survivor veteran woman writer
        """
    )
)

# Common given names with a clear gender, for he/she agreement (a name not listed is unknown).
FEMALE_NAMES: frozenset[str] = _words(
    """
    abigail alexis alice alicia amanda amber amy ana andrea angela ann anna ashley aung
    barbara beth betty beverly brenda brittany carmen carol carolyn catherine charlotte
    chelsea cheryl christina christine claire condoleezza cynthia danielle debbie deborah
    debra denise diana diane dianne donna doris dorothy elaine elena elizabeth emily emma
    evelyn frances gennifer giorgia gloria grace gwen hannah heather heidi helen hilary
    hillary hope huma irina iryna isabella ivanka jacinda jacqueline jane janet janice jean
    jennifer jessica jill joan joyce judith judy julie kamala karen kate katherine kathleen
    kathryn katie kayla kelly kellyanne kimberly laura lauren linda lisa liz loretta lori
    lucia madeleine madison malkia margaret maria marie marilyn marine martha mary megan
    megyn melania melanie melissa michele michelle nancy natalia natalie nicole nikki olena
    olga olivia omarosa pamela patricia rachel rebecca rosa ruth samantha sandra sanna sara
    sarah sharon sheila shirley sofia sonia sophia stephanie susan susana svetlana tammy
    tatiana teresa theresa tina tulsi ursula victoria virginia yulia
    """
)

MALE_NAMES: frozenset[str] = _words(
    """
    aaron adam al alan albert alexander andrew anthony antonio arthur austin ban barack
    benjamin bernie bill billy bob bobby boris brandon brian bruce bryan carl charles chris
    christian christopher chuck daniel david dennis dick dmitry dmytro donald douglas dylan
    edward elijah emmanuel eric ethan eugene frank gabriel gary george gerald gregory hank
    harold harry henry hunter jack jacob james jason jeb jeffrey jens jeremy jerry jesse jim
    joe john jonathan jordan jose joseph joshua juan justin keith kellan kenneth kevin kyle
    larry lawrence lindsey logan louis marco mark mason matthew michael mike mitch narendra
    nathan newt nicholas noah olaf orrin patrick paul peter philip ralph rand randy raymond
    recep reince rex richard rishi robert roger ronald roy rudy russell ryan samuel scott
    sean sergei sergey stephen steven ted terry thomas tim timothy tom tyler vincent
    vladimir volodymyr walter wang wayne william willie xi yuri zachary
    """
)

# Verbs with a clausal complement that do not report anything ("make sure that", "mean that").
NOT_CUES: frozenset[str] = _words(
    """
    appear be become cause come depend do emerge ensure get give go happen have help keep
    let look make matter mean prove put remain result seem sound take turn
    """
)
