"""Writes entity_texts.json (development cases) and entity_texts_test.json (held out,
written after the rules). Invented names and events; countries from countryinfo's spellings.

Run: python benchmarks/data/make_entity_texts.py
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
C = []
def case(name, kind, *docs):
    C.append({"case": name, "kind": kind, "docs": list(docs)})

# --- acronyms defined in the text (Schwartz–Hearst), then used across the batch
case("acronym defined, used in other documents", "acronym",
     "Grain reached the port on Tuesday, the [[Coastal Fisheries Board|ORG|cfb]] ([[CFB|ORG|cfb]]) said. [[CFB|ORG|cfb]] inspectors checked every hold.",
     "[[CFB|ORG|cfb]] officials refused to comment on the delay.",
     "A spokeswoman for the [[Coastal Fisheries Board|ORG|cfb]] said the quotas stand.")
case("acronym with lower-case letters", "acronym",
     "The [[Ministry of Water Resources|ORG|mowr]] ([[MoWR|ORG|mowr]]) opened the sluices at dawn.",
     "[[MoWR|ORG|mowr]] engineers said the reservoir was full.")
case("acronym skipping function words", "acronym",
     "Delegates of the [[Organisation for River Navigation and Safety|ORG|orns]] ([[ORNS|ORG|orns]]) met in the capital.",
     "The [[ORNS|ORG|orns]] chairman called for calm.")
case("acronym first, long form in parentheses", "acronym",
     "Funds from [[ADRA|ORG|adra]] ([[Alpine Disaster Relief Agency|ORG|adra]]) arrived late.",
     "The [[Alpine Disaster Relief Agency|ORG|adra]] said more tents were coming.",
     "[[ADRA|ORG|adra]] trucks were stuck at the pass.")
case("acronym tagged as a place", "acronym",
     "The [[Southern Grain Union|ORG|sgu]] ([[SGU|ORG|sgu]]) set a floor price.",
     "Farmers said [[SGU|GPE|sgu]] had betrayed them.")
case("one short form, two definitions in two documents", "acronym",
     "The [[Pellar Rail Authority|ORG|pra]] ([[PRA|ORG|pra]]) cut the timetable. [[PRA|ORG|pra]] staff walked out.",
     "The [[Prudent Reserve Alliance|ORG|pra2]] ([[PRA|ORG|pra2]]) raised its rates. [[PRA|ORG|pra2]] members agreed.")
case("acronym not defined for a person of those initials", "acronym",
     "The [[Tarsk Energy Council|ORG|tec]] ([[TEC|ORG|tec]]) met [[Tomas Eli Crane|PERSON|tcrane]].",
     "[[TEC|ORG|tec]] said [[Crane|PERSON|tcrane]] would advise it.")

# --- countries written several ways (countryinfo names and alternative spellings)
case("country: Côte d'Ivoire / Ivory Coast", "country",
     "Cocoa exports from [[Côte d'Ivoire|GPE|civ]] fell.", "[[Ivory Coast|GPE|civ]] blamed the rain.")
case("country: Czechia / Czech Republic", "country",
     "[[Czechia|GPE|cz]] signed the accord.", "The [[Czech Republic|GPE|cz]] said it would ratify it soon.")
case("country: Türkiye / Turkey", "country",
     "Talks were held in [[Türkiye|GPE|tr]].", "[[Turkey|GPE|tr]] hosted the talks.")
case("country: UK / Britain / United Kingdom", "country",
     "The [[UK|GPE|uk]] sent two ships.", "[[Britain|GPE|uk]] said the ships would stay.",
     "The [[United Kingdom|GPE|uk]] denied any delay.")
case("country: official name tagged as an organisation", "country",
     "The [[Russian Federation|ORG|ru]] filed a protest.", "[[Russia|GPE|ru]] protested the fine.")
case("country: Holland / the Netherlands", "country",
     "Tulip growers in [[Holland|GPE|nl]] lost money.", "The [[Netherlands|GPE|nl]] will compensate them.")
case("country: USA / United States of America", "country",
     "The [[USA|GPE|us]] won the final.", "The [[United States of America|GPE|us]] team celebrated.",
     "Fans in the [[US|GPE|us]] stayed up late.")
case("countries that must stay apart: Congo", "country",
     "The [[Democratic Republic of the Congo|GPE|cd]] closed the border.", "[[DR Congo|GPE|cd]] reopened it.",
     "The [[Republic of the Congo|GPE|cg]] was not affected.")
case("countries that must stay apart: Sudan / South Sudan", "country",
     "[[Sudan|GPE|sd]] and [[South Sudan|GPE|ss]] met.", "[[South Sudan|GPE|ss]] walked out.")
case("countries that must stay apart: Guinea", "country",
     "[[Guinea|GPE|gn]], [[Guinea-Bissau|GPE|gw]] and [[Equatorial Guinea|GPE|gq]] voted.", "[[Equatorial Guinea|GPE|gq]] abstained.")
case("capital is not the country", "country",
     "Protests spread from [[Nairobi|GPE|nbo]] across [[Kenya|GPE|ke]].", "[[Kenya|GPE|ke]] declared a holiday.")
case("people are not the country", "country",
     "[[Peruvian|NORP|pe_n]] farmers marched.", "[[Peru|GPE|pe]] raised prices.")

# --- organisation names contained in a longer one
case("containment: the General Assembly", "containment",
     "The [[UN General Assembly|ORG|unga]] voted on Friday. The [[General Assembly|ORG|unga]] passed the text 120 to 9.",
     "The [[General Assembly|ORG|unga]] vote was welcomed.")
case("containment: ministry with a country prefix", "containment",
     "The [[Valdorian Health Ministry|ORG|vhm]] reported 40 cases.", "The [[Health Ministry|ORG|vhm]] said vaccines were on the way.")
case("containment: one word inside the document", "containment",
     "The [[Northern Harbour Commission|ORG|nhc]] met. The [[Commission|ORG|nhc]] later voted to dredge.")
case("containment: two courts, each in its own document", "containment",
     "The [[Federal Supreme Court|ORG|fsc]] ruled on Monday. The [[Supreme Court|ORG|fsc]] said the law stands.",
     "The [[Cantonal Supreme Court|ORG|csc]] disagreed. The [[Supreme Court|ORG|csc]] will hear an appeal.")
case("containment: company ending", "containment",
     "[[Kestrel Motors Inc.|ORG|km]] recalled 9,000 vans.", "[[Kestrel Motors|ORG|km]] said no one was hurt.")
case("containment: two councils, short form ambiguous", "containment",
     "The [[Port Security Council|ORG|psc]] and the [[River Security Council|ORG|rsc]] met.",
     "The [[Security Council|ORG|sc]] of the club also met.")
case("organisations that share a word stay apart", "containment",
     "The [[Green Party|ORG|gp]] and the [[Labour Party|ORG|lp]] argued.", "The [[Labour Party|ORG|lp]] won.")
case("containment: an abbreviated word of the name", "containment",
     "The [[Coastal Ferry Workers Assn.|ORG|cfwa]] filed the complaint.",
     "The [[Coastal Ferry Workers Association|ORG|cfwa]] said it would strike.")
case("containment: a lower-case noun taken into the name", "containment",
     "Lawyers for the [[United Dockhands union|ORG|ud]] spoke first.",
     "The [[United Dockhands|ORG|ud]] paid the legal fees.")
case("containment: the name without the kind of body it is", "containment",
     "[[Harwick University|ORG|hu]] said its players are students.", "[[Harwick|ORG|hu]] will appeal the ruling.")
case("containment: two bodies of one name leave the bare name to neither", "containment",
     "[[Marden College|ORG|mc]] and [[Marden University|ORG|mu]] both objected.",
     "[[Marden|ORG|m]] fans cheered.")

# --- people: possessive and short forms
case("person: curly possessive", "person",
     "[[Ilse Varnholt|PERSON|iv]] took office on Monday. [[Varnholt’s|PERSON|iv]] first act was a pardon.",
     "[[Ilse Varnholt|PERSON|iv]] pardoned 40 prisoners.")
case("person: possessive tagged as an organisation", "person",
     "[[Tomas Brevik|PERSON|tb]] resigned. [[Brevik's|ORG|tb]] party chose a successor.")
case("person: surname tagged as a place", "person",
     "[[Oskar Lindqvist-Maro|PERSON|olm]] won the vote. Critics said [[Lindqvist-Maro|GPE|olm]] had promised too much.")
case("person: title and surname", "person",
     "[[Ms Renata Oyelaran|PERSON|ro]] spoke first.", "[[Ms Oyelaran|PERSON|ro]] left early.", "[[Oyelaran's|PERSON|ro]] speech was short.")
case("family: mother and son, surname alone", "person",
     "[[Ilse Varga|PERSON|ivg]] and her son [[Peter Varga|PERSON|pvg]] arrived. [[Varga|PERSON|vg_amb]] spoke.",
     "[[Peter Varga|PERSON|pvg]] left.")
case("family: possessive of a shared surname", "person",
     "[[Dana Okonjo|PERSON|do]] and [[Emeka Okonjo|PERSON|eo]] ran the firm.", "[[Okonjo's|PERSON|ok_amb]] firm grew.")
case("person vs country of the same name", "person",
     "[[Mali Tran|PERSON|mt]] visited [[Mali|GPE|ml]].", "[[Mali|GPE|ml]] welcomed her.")

(HERE / "entity_texts.json").write_text(json.dumps(C, indent=1, ensure_ascii=False), encoding="utf-8")
print(len(C))

# ---- held-out cases, written after the rules, run once
T = []
def test_case(name, kind, *docs):
    T.append({"case": name, "kind": kind, "split": "test", "docs": list(docs)})

test_case("acronym: relief agency across three outlets", "acronym",
          "Food from the [[Highland Relief Office|ORG|hro]] ([[HRO|ORG|hro]]) reached Darrow on Sunday.",
          "[[HRO|ORG|hro]] convoys were delayed by snow, the agency said.",
          "An [[HRO|ORG|hro]] spokesman said 12 trucks had arrived.")
test_case("acronym: federation with 'and'", "acronym",
          "The [[Federation of Ports and Harbours|ORG|fph]] ([[FPH|ORG|fph]]) called a strike.",
          "Members of the [[FPH|ORG|fph]] voted 80 to 20.")
test_case("acronym: two unrelated agencies, two acronyms", "acronym",
          "The [[Civil Aviation Board|ORG|cab]] ([[CAB|ORG|cab]]) and the [[Rail Safety Board|ORG|rsb]] ([[RSB|ORG|rsb]]) met.",
          "[[RSB|ORG|rsb]] inspectors left; [[CAB|ORG|cab]] inspectors stayed.")
test_case("acronym: reversed order with a country", "acronym",
          "[[NDSA|ORG|ndsa]] ([[National Drought Support Authority|ORG|ndsa]]) in [[Kenya|GPE|ke]] opened wells.",
          "The [[National Drought Support Authority|ORG|ndsa]] said rain was late.")
test_case("country: Timor-Leste / East Timor", "country",
          "[[Timor-Leste|GPE|tl]] joined the bloc.", "[[East Timor|GPE|tl]] celebrated.")
test_case("country: Eswatini / Swaziland", "country",
          "The king of [[Eswatini|GPE|sz]] spoke.", "[[Swaziland|GPE|sz]] renamed itself in 2018.")
test_case("country: Cabo Verde / Cape Verde", "country",
          "[[Cabo Verde|GPE|cv]] is an island nation.", "Ships from [[Cape Verde|GPE|cv]] docked.")
test_case("countries apart: Niger / Nigeria", "country",
          "[[Niger|GPE|ne]] and [[Nigeria|GPE|ng]] share a border.", "[[Nigeria|GPE|ng]] closed it.")
test_case("countries apart: Dominica / Dominican Republic", "country",
          "[[Dominica|GPE|dm]] was hit first.", "The [[Dominican Republic|GPE|do]] was spared.")
test_case("containment: Senate of a named state", "containment",
          "The [[Rivland State Senate|ORG|rss]] passed the budget. The [[State Senate|ORG|rss]] adjourned at midnight.")
test_case("containment: a department across outlets", "containment",
          "The [[Ostmark Transport Department|ORG|otd]] closed the bridge.",
          "The [[Transport Department|ORG|otd]] said repairs would take a month.")
test_case("containment: two boards in one story stay apart", "containment",
          "The [[Harbour Safety Board|ORG|hsb]] and the [[Mine Safety Board|ORG|msb]] disagreed.",
          "The [[Mine Safety Board|ORG|msb]] published its report.")
test_case("person: possessive after the full name, other outlet", "person",
          "[[Greta Solheim-Adu|PERSON|gsa]] won the seat.", "[[Solheim-Adu's|PERSON|gsa]] victory surprised her rivals.")
test_case("person: surname tagged as an organisation beside its full name", "person",
          "[[Milan Dvorak|PERSON|md]] signed the order. Within hours [[Dvorak|ORG|md]] aides denied it.")
test_case("family: father and daughter, surname possessive", "person",
          "[[Arno Keskin|PERSON|ak]] and his daughter [[Lale Keskin|PERSON|lk]] founded the party. [[Keskin's|PERSON|k_amb]] speech drew cheers.")
test_case("person and a place of one name stay apart", "person",
          "[[Victor Chad|PERSON|vc]] flew to [[Chad|GPE|td]].", "[[Chad|GPE|td]] closed its airspace.")
(HERE / "entity_texts_test.json").write_text(json.dumps(T, indent=1, ensure_ascii=False), encoding="utf-8")
print(len(T))
