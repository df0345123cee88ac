"""Spanish, addressing the contact as usted in every tone: safe with a customer anywhere."""

from __future__ import annotations

import re

from shared.llm.tones.words import Tone, Words

WORDS = Words(
    code="es",
    tones={
        "friendly": Tone(
            greeting=("Hola, {first}:", "Hola:"),
            body="{greeting}\n\n{opener} Le escribo para dar seguimiento a {topic}. {when}"
            "\n\nUn saludo,",
            when=(
                "Me encargo de que tenga todo lo necesario para el {long}. Si cambia algo por "
                "su parte, basta con responder a este correo.",
                "¿Le viene bien el {long} para comentar brevemente los próximos pasos?",
            ),
            openers={
                "call": "¡Gracias por su tiempo al teléfono!",
                "meeting": "¡Gracias por la reunión!",
                "meeting_ahead": "¡Tengo muchas ganas de que nos veamos!",
                "meeting_missed": "¡Qué pena que no pudiéramos vernos!",
                "upset": "Lamento mucho lo ocurrido; no es la experiencia que usted merece.",
                "email_in": "¡Gracias por su correo!",
                "email_out": "Vuelvo sobre mi último correo.",
                "note": "¡Espero que esté teniendo una buena semana!",
                "task": "¡Espero que esté teniendo una buena semana!",
            },
        ),
        "formal": Tone(
            signature="{sender_full}",
            greeting=("Buenos días, {first}:", "Buenos días:"),
            body="{greeting}\n\n{opener} Le escribo en relación con {topic}. {when} {offer}"
            "\n\nAtentamente,",
            when=(
                "Le haré llegar la información correspondiente a más tardar el {long}.",
                "Sería un placer comentar con usted los próximos pasos el {long}.",
            ),
            openers={
                "call": "Muchas gracias por el tiempo que nos dedicó en la llamada.",
                "meeting": "Muchas gracias por el tiempo que nos dedicó en la reunión.",
                "meeting_ahead": "Quedo a la espera de nuestro próximo encuentro.",
                "meeting_missed": "Lamento que no hayamos podido reunirnos como estaba previsto.",
                "upset": "Le pido disculpas por las molestias que esto le ha causado.",
                "email_in": "Muchas gracias por su mensaje.",
                "email_out": "Me permito retomar mi correo anterior.",
                "note": "Espero que se encuentre bien.",
                "task": "Espero que se encuentre bien.",
            },
            offer=(
                "Quedo a su disposición para cualquier otra cosa que necesiten en {company}.",
                "Quedo a su disposición para cualquier otra cosa que necesite.",
            ),
        ),
        "concise": Tone(
            greeting=("{first}, le escribo sobre", "Breve seguimiento sobre"),
            body="{greeting} {topic}. {when}",
            when=("Lo tendrá el {short}.", "¿Hablamos el {short}?"),
            openers={},
        ),
    },
    generic_topics={
        "call": "nuestra llamada",
        "meeting": "nuestra reunión",
        "meeting_ahead": "nuestra próxima reunión",
        "meeting_missed": "una nueva fecha para nuestra reunión",
        "upset": "el problema que nos ha planteado",
        "email_in": "su correo",
        "email_out": "mi último correo",
        "note": "nuestra última conversación",
        "task": "nuestra última conversación",
    },
    request="su solicitud de {ask}",
    interest="su interés en {ask}",
    quotes=("«", "»"),
    ask=re.compile(
        r"\b(?:quier[eo]n?|queremos|querría[ns]?|quisiera(?:mos|n)?|pidió|pidieron|piden?"
        r"|solicitó|solicitaron|solicitan?|necesita(?:mos|n)?|necesito"
        r"|(?:me|le|nos|les)\s+gustaría|busca(?:mos|n)?|est(?:á|án|amos)\s+buscando"
        r"|(?P<interest>(?:est(?:á|án|amos)\s+)?interesad[oa]s?\s+en"
        r"|(?:me|le|nos|les)\s+interesan?))\s+(?P<topic>.+)",
        re.IGNORECASE,
    ),
    cues=re.compile(
        r"\b(?:quier|quis|pid|pide|solicit|necesit|gustar|busc|interes|promet|acord|envi|enví"
        r"|compart|seguimiento|próximos pasos|por favor|podría|puede|precio|presupuesto"
        r"|propuesta|cotización|oferta|demo)",
        re.IGNORECASE,
    ),
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    weekdays_short=("lun.", "mar.", "mié.", "jue.", "vie.", "sáb.", "dom."),
    months=(
        *("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"),
        *("septiembre", "octubre", "noviembre", "diciembre"),
    ),
    months_short=(
        *("ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct."),
        *("nov.", "dic."),
    ),
    long_date="{weekday} {d} de {month}",  # "jueves 5 de marzo"
    short_date="{wd} {d}/{m}",  # "jue. 5/3"
    joins=((r"^de el\b", "del"),),
)
