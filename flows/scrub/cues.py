"""The context words that decide whether a word is a name: cues before it ("my worker",
"talk to"), what follows a person ("Rose listens"), and words that are never names there.

Pure data, compiled once at import; `flows.scrub.names` holds the rules that use it.
"""

from __future__ import annotations

import re

# "my worker will": a role noun right before the word. Modal names (will, may) need more
# evidence after these, because "my worker will help" is far commoner than a name.
ROLE_CUE = re.compile(
    r"\b(?:worker|workers|keyworker|sw|mentor|staff|coach|leader|counsellor|manager|teacher)"
    r"[\s,:]+$"
)
# "called Grace", "talk to Will", "a session with Hope", "from Rob", "Mrs Green".
CUE = re.compile(
    r"(?:\b(?:called|named|name is|name's|names|aka|mr|mrs|ms|mx|miss|dr|sir|lil|big)\.?"
    r"|\b(?:talk|talks|talked|talking|speak|speaks|spoke|speaking|said|say|says|told|tell|"
    r"listen|listens|listened|message|messaged|text|texted|went|go|going|complain|complained|"
    r"moved|sent|send|ring|rang|call|chat|chatted|asked|ask)\s+to"
    r"|\b(?:session|sessions|meeting|meetings|time|chat|chats|chatting|work|works|worked|"
    r"working|met|meet|sat|hang|hanging|out|seeing|see|saw|went|go|going|talk|talked|"
    r"talking|spoke)\s+with"
    r"|\bfrom)[\s,:]+$"
)
# "email grace", "ask Rob", "i miss hope": a verb that takes a person. Not for calendar
# words ("i love summer").
VERB_CUE = re.compile(
    r"\b(?:email|emailed|ask|asked|tell|told|ring|rang|call|text|texted|message|messaged|"
    r"thank|thanked|miss|missed|meet|met|see|saw|trust|trusted)[\s,:]+$"
)
# What a person does next ("Rose listens", "Nick from the office", "amber is the best").
# Finite verbs only, which a modal "will"/"may" can never be followed by.
SUBJECT_FOLLOW = re.compile(
    r"\s+(?:said|says|told|tells|asked|asks|helped|helps|listens|listened|rang|rings|texted|"
    r"texts|messaged|took|takes|gave|gives|came|comes|knows|reckons|sorted|sorts|drove|drives|"
    r"runs|cried|laughed|shouted|shouts|from)\b"
    r"|\s+(?:is|was|s)\s+(?:my|our|the best|the worst|the youth worker|the worker|a legend|sound|"
    r"mint|class|lovely|new|leaving|moving|amazing)\b"
)
# A determiner or preposition makes the word a thing: "my kit from school", "the rose".
THING = frozenset(
    "my me ma the a an his her your ur our their this that some no any every of in on at for "
    "with".split()
)
MODAL = frozenset({"will", "may"})
# "my worker tayla": a word straight after a role noun is taken as a name even when it is
# on no list, unless it is one of the words that usually follow "my worker", looks like a
# verb or adverb (-s, -ed, -ing, -ly), or has an object after it ("my worker hit me").
ROLE_NOUNS = frozenset(
    "worker keyworker sw mentor coach leader counsellor teacher carer manager".split()
)
AFTER_ROLE = frozenset(
    """is was s are were be been being has had have does did do doesnt didnt dont isnt wasnt
    wont cant can could would should will may might must always never just really actually
    also still even only so too very proper well dead kinda sorta literally basically def defo
    prob probs legit rly tho though innit like man and but or because cos coz who that which
    when where what if then at in on to from for with about of by up out over after before
    said told asked helped listened got gave came took went knew thought made let kept put set
    wrote brought bought found left quit sent rang understood tried felt seemed showed forgot
    hit hurt beat fought cut ran sat saw met won lost paid lied stole broke threw hid held heard
    meant sold slept spoke stood swore taught woke ever once again first gonna wanna gotta aint
    mr mrs ms miss sir
    ive im id ill hes shes theyre youre weve yeah yh ya
    right not no yes nah ok okay lol tbh honestly here there now today yesterday last next
    this these those team member office room trip journey driver station bus she he they i
    me my you u we us them it its her his their our your ur a an the""".split()
)
VERBISH = ("s", "ed", "ing", "ly", "nt")
OBJECTS = frozenset(
    "me my us him her them it a an the to for up down off out back about into".split()
)
NAME_FOLLOWERS = frozenset(
    "is was s said says and has had from at who listens listened helped helps gets got does "
    "did knows told tells asked asks makes made took takes came comes went goes likes loves "
    "thinks reckons".split()
)
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "spring summer autumn winter".split()
)
TEMPORAL = frozenset(
    "in since until till before after during last next this every early late mid of from by "
    "over all that the".split()
)
HONORIFIC = frozenset({"mr", "mrs", "ms", "mx", "dr"})
TITLE_HONORIFIC = frozenset({"miss", "sir"})
# Capitalised words that follow a name without being a surname ("Sarah Said", "Tom Monday").
NOT_SURNAME = (
    frozenset(
        "i im the a an and but or so is was are were has had said says told always never just "
        "lol ok okay yes no hi hey thanks cheers because cos when if then at in on to from with of "
        "for monday tuesday wednesday thursday friday saturday sunday".split()
    )
    | CALENDAR
)
SENTENCE_END = ".!?\n:;\u2026"

# --- People introducing or signing themselves, and shaped places (issue 11) ---------------
# Words that are never a name, whatever cue comes before them ("im not", "call me back",
# "its me here", "aka the").
STOP = frozenset(
    """a an the and or but so if then than to too of in on at by for with from up down out off
    over into onto about as is am are was were be been being do does did done have has had i
    me my mine myself you u ur your yours we us our they them their he him his she her it its
    this that these those there here who what when where why how which not no yes yeah nah
    just only also very really still even ever never always all any some every each both more
    most less few many much lot lots again back now soon later today tonight tomorrow
    yesterday ok okay well x xx s m t d ll re ve one someone somebody anyone anybody everyone
    everybody nobody no1 every1 some1 any1 myself""".split()
)
# "call me back", "they call me names", "call me crazy but": what follows "call me" when it
# is not a nickname. Nicknames are often nouns ("call me trouble"), so nouns stay out.
CALL_ME_STOP = STOP | frozenset(
    """names name anytime whenever asap maybe please pls plz first straight instantly tho
    crazy mad stupid dumb thick lazy fat ugly weird rude annoying mental psycho gay liar
    loser baby babe hun love darling sweetheart mate bro sis fam sensitive dramatic naughty
    selfish horrible nasty useless worthless pathetic silly slow cheeky bad good nice
    anything something everything nothing whatever sometimes usually once twice anymore
    often loads everyday daily rarely constantly randomly directly personally privately
    nonstop""".split()
)
# "lil d", "tiny t": a nickname prefix takes the next word with it.
NICK_PREFIX = frozenset("lil little big tiny young baby".split())
# "X here" counts at the start of a message or after a greeting ("hiya, jade here").
GREETING = frozenset("hi hiya hey heya hello yo oi alright ok so well".split())
# Numbers that are amounts, not house numbers ("3 sessions in a row", "10 min walk").
ADDRESS_STOP = STOP | frozenset(
    """people kids lads girls boys mates friends times goals points games nil hours hour hrs
    minutes mins min seconds secs days day weeks week months month years year yrs miles mile
    km stops stop laps sessions quid pounds percent big small very massive""".split()
)
# What may stand just before "school", "college", "high"... without naming one.
SCHOOL_STOP = STOP | frozenset(
    """new old local nearest big small secondary primary high special boarding state private
    public grammar faith catholic summer sunday night after driving dance drama art film
    music football forest home online mainstream girls boys mixed sixth further higher
    community technical normal proper real main other same different whole first last next
    another current previous last good bad best worst rubbish nice strict go goes going went
    gone got get start started starting finish finished leave left quit hate love like miss
    missed skip skipped bunk bunked maths english science music drama dance sport sports
    business computing media hair beauty construction catering childcare care health boxing
    cooking""".split()
)
# Names that are also verbs or modals: "i will comee" is a typo, not "Will Comee".
VERB_NAMES = frozenset("will may mark bill rob pat sue frank hope kit chase drew mick nick".split())
# "go to manor high", "im at leeds city college": after these a school's name may be words.
SCHOOL_CUE = frozenset(
    "go goes going went gone attend attends attended at to from into of join joined".split()
)
