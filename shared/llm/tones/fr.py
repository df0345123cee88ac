"""French, addressing the contact as vous in every tone. The formal salutation names the
whole person ("Bonjour Dana Ortiz,"), or "Madame, Monsieur," when nobody is named, since a
first name does not tell Madame from Monsieur."""

from __future__ import annotations

import re

from shared.llm.tones.words import Tone, Words

WORDS = Words(
    code="fr",
    tones={
        "friendly": Tone(
            greeting=("Bonjour {first},", "Bonjour,"),
            body="{greeting}\n\n{opener} Je reviens vers vous au sujet de {topic}. {when}"
            "\n\nÀ bientôt,",
            when=(
                "Je m'assure que vous ayez tout ce qu'il vous faut d'ici le {long} ; "
                "n'hésitez pas à répondre à ce message si quelque chose change de votre côté.",
                "Seriez-vous disponible le {long} pour faire un point rapide sur la suite ?",
            ),
            openers={
                "call": "Merci pour notre échange au téléphone !",
                "meeting": "Merci pour notre rencontre !",
                "meeting_ahead": "J'ai hâte de vous rencontrer !",
                "meeting_missed": "Dommage que nous n'ayons pas pu nous voir !",
                "upset": (
                    "Toutes mes excuses pour ce désagrément, ce n'est pas l'expérience que "
                    "vous méritez."
                ),
                "email_in": "Merci pour votre message !",
                "email_out": "Un petit rappel au sujet de mon dernier message.",
                "note": "J'espère que votre semaine se passe bien !",
                "task": "J'espère que votre semaine se passe bien !",
            },
        ),
        "formal": Tone(
            signature="{sender_full}",
            greeting=("Bonjour {full},", "Madame, Monsieur,"),
            body="{greeting}\n\n{opener} Je me permets de vous écrire concernant {topic}. "
            "{when} {offer}\n\nCordialement,",
            when=(
                "Je vous ferai parvenir les informations nécessaires d'ici le {long}.",
                "Je vous propose d'échanger sur les prochaines étapes le {long}.",
            ),
            openers={
                "call": "Je vous remercie pour le temps que vous m'avez accordé au téléphone.",
                "meeting": "Je vous remercie d'avoir pris le temps de me rencontrer.",
                "meeting_ahead": "Je me réjouis de notre prochaine rencontre.",
                "meeting_missed": "Je regrette que notre rendez-vous n'ait pas pu avoir lieu.",
                "upset": "Je vous prie d'accepter nos excuses pour les désagréments occasionnés.",
                "email_in": "Je vous remercie pour votre message.",
                "email_out": "Je me permets de revenir vers vous suite à mon précédent e-mail.",
                "note": "J'espère que vous allez bien.",
                "task": "J'espère que vous allez bien.",
            },
            offer=(
                "N'hésitez pas à me faire savoir si {company} a besoin d'autre chose d'ici là.",
                "N'hésitez pas à me faire savoir si vous avez besoin d'autre chose d'ici là.",
            ),
        ),
        "concise": Tone(
            greeting=("{first}, petit suivi concernant", "Petit suivi concernant"),
            body="{greeting} {topic}. {when}",
            when=("Vous l'aurez d'ici le {short}.", "Un point rapide le {short} ?"),
            openers={},
        ),
    },
    generic_topics={
        "call": "notre appel",
        "meeting": "notre réunion",
        "meeting_ahead": "notre prochaine réunion",
        "meeting_missed": "une nouvelle date pour notre rendez-vous",
        "upset": "le problème que vous avez signalé",
        "email_in": "votre message",
        "email_out": "mon dernier message",
        "note": "notre dernier échange",
        "task": "notre dernier échange",
    },
    request="votre demande de {ask}",
    interest="votre intérêt pour {ask}",
    quotes=("« ", " »"),
    # "demande" only as a verb (before an article), and no "souhaite que ...": a clause
    # does not follow "votre demande de".
    ask=re.compile(
        r"\b(?:(?:veu(?:t|lent)|voudr(?:ait|aient|ions)|souhait(?:e|ent|ons|erait|erions)"
        r"|(?:a|ont|avons)\s+demandé|demand(?:e|ent)(?=\s+(?:un|une|des|le|la|les|l['\u2019]|à))"
        r"|cherch(?:e|ent|ons)|recherch(?:e|ent|ons)|aimer(?:ait|ions|ais)"
        r"|(?P<interest>intéressée?s?\s+par))\s+|besoin\s+d(?:e\s+|['\u2019]))(?P<topic>(?!qu).+)",
        re.IGNORECASE,
    ),
    cues=re.compile(
        r"\b(?:veu|voudr|souhait|demand|besoin|cherch|aimer|intéress|promis|convenu|envo"
        r"|partag|suivi|prochaines étapes|merci de|pourriez|pouvez|prix|tarif|devis|offre"
        r"|proposition|démo)",
        re.IGNORECASE,
    ),
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    weekdays_short=("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    months=(
        *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
        *("septembre", "octobre", "novembre", "décembre"),
    ),
    months_short=(
        *("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct."),
        *("nov.", "déc."),
    ),
    long_date="{weekday} {day} {month}",  # "jeudi 5 mars", "lundi 1er juin"
    short_date="{wd} {d:02d}/{m:02d}",  # "jeu. 05/03"
    first_day="1er",
    joins=(
        (r"^de le\b", "du"),
        (r"^de les\b", "des"),
        (r"^de des\b", "de"),
        (r"^de (?=[aeiouyàâéèêëîïôûœ])", "d'"),
    ),
    # Their or his is the contact's; "leur" is left alone, as it is also "to them".
    yours=((r"\b(?:son|sa)\b", "votre"), (r"\b(?:ses|leurs)\b", "vos")),
)
