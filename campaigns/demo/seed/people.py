"""Made-up people for the history seed: varied names, one unique email address each."""

from __future__ import annotations

import random
from collections.abc import Iterable

_FIRST = """
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard
Susan Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty
Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua
Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald
Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob Amy Gary Kathleen Nicholas
Angela Eric Shirley Jonathan Emma Stephen Brenda Larry Pamela Justin Nicole Scott Anna Brandon
Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick Carolyn
Frank Janet Raymond Maria Jack Olivia Dennis Heather Jerry Helen Tyler Catherine Aaron Diane
Jose Julie Adam Victoria Nathan Joyce Henry Lauren Zachary Kelly Douglas Christina Peter Ruth
Kyle Joan Noah Virginia Ethan Judith Jeremy Evelyn Christian Hannah Walter Andrea Keith Megan
Austin Cheryl Roger Jacqueline Terry Madison Sean Teresa Gerald Abigail Carl Sophia Harold
Martha Dylan Sara Arthur Gloria Lawrence Janice Jordan Kathryn Jesse Ann Bryan Isabella Billy
Judy Bruce Charlotte Gabriel Julia Joe Grace Logan Amber Alan Alice Juan Jean Albert Denise
Willie Frances Elijah Danielle Wayne Marilyn Randy Natalie Vincent Beverly Mason Diana Roy
Brittany Ralph Theresa Bobby Kayla Russell Alexis Bradley Doris Philip Lori Eugene Tiffany
Wei Mei Hiroshi Yuki Priya Arjun Aisha Omar Fatima Ahmed Carlos Sofia Luis Camila Diego Lucia
Mateo Valentina Nguyen Linh Minh Thu Kwame Amara Chidi Ngozi Ines Rafael Leila Tariq Ana Pablo
Astrid Lars Ingrid Sven Chiara Marco Giulia Luca Anya Dmitri Olga Ivan Siobhan Declan Aoife
"""

_LAST = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders
Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler
Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton
Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina
Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington
Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter
Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black
Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson
Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce
Wang Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Tanaka Suzuki Sato Watanabe Park Choi Shah Singh
Kumar Gupta Khan Ali Hassan Okafor Mensah Adeyemi Mwangi Rossi Bianchi Ferrari Muller Schneider
Novak Kowalski Ivanova Petrov Larsen Hansen Johansson Lindqvist O'Brien O'Connor Byrne Doyle
Dubois Moreau Laurent Costa Santos Oliveira Pereira Haddad Nasser Cohen Levi Friedman Okoro
"""
FIRST_NAMES = _FIRST.split()
LAST_NAMES = _LAST.split()

# Reserved names (RFC 2606 and RFC 6761): addresses that look real but reach nobody.
DOMAINS = (
    ("example.com", 30),
    ("example.org", 22),
    ("example.net", 18),
    ("mail.example", 12),
    ("inbox.example", 10),
    ("post.example", 8),
)

_DOMAIN_NAMES = [name for name, _ in DOMAINS]
_DOMAIN_WEIGHTS = [weight for _, weight in DOMAINS]


def _local_part(rng: random.Random, first: str, last: str) -> str:
    first, last = first.lower(), last.lower().replace("'", "")
    style = rng.random()
    if style < 0.35:
        return f"{first}.{last}"
    if style < 0.55:
        return f"{first}{last}"
    if style < 0.70:
        return f"{first[0]}{last}"
    if style < 0.80:
        return f"{first}_{last}"
    if style < 0.90:
        return f"{first}{last[0]}"
    return f"{first}.{last}{rng.randint(1950, 2005)}"


def make_people(
    rng: random.Random, count: int, taken: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """``count`` people as parallel lists of names and emails; no email repeats ``taken``."""
    used = {email.lower() for email in taken}
    names: list[str] = []
    emails: list[str] = []
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if rng.random() < 0.06:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        else:
            name = f"{first} {last}"
        local = _local_part(rng, first, last)
        domain = rng.choices(_DOMAIN_NAMES, weights=_DOMAIN_WEIGHTS)[0]
        email = f"{local}@{domain}"
        while email in used:
            email = f"{local}{rng.randint(2, 9999)}@{domain}"
        used.add(email)
        names.append(name)
        emails.append(email)
    return names, emails
