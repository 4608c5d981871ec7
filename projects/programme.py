"""The programme's own words, from the Call to Action (version 3, 8 May 2018).

Every string here is copied from projects/content/step-change-call-to-action.txt
word for word; tests/projects/test_programme_content.py checks that each one
still appears in that document. `manage.py loadprogramme` loads them.
"""

import datetime
import re

# Workstreams in the order the document lists them. The document's project
# tables name some of them differently ("Cyber (inc Banking)" is the table's
# "Cyber & Finance"); the table heading is the name used on the portal.
WORKSTREAMS = [
    {
        "code": "CP",
        "slug": "crowded-places",
        "name": "Crowded Places",
        "listed_as": "Crowded Places",
    },
    {
        "code": "SR",
        "slug": "security-and-resilience",
        "name": "Security & Resilience",
        "listed_as": "Security and Resilience",
    },
    {"code": "T", "slug": "transport", "name": "Transport", "listed_as": "Transport"},
    {
        "code": "CF",
        "slug": "cyber-and-finance",
        "name": "Cyber & Finance",
        "listed_as": "Cyber (inc Banking)",
    },
    {
        "code": "TT",
        "slug": "travel-and-tourism",
        "name": "Travel & Tourism",
        "listed_as": "Travel and Tourism",
    },
]

# (code, action, vision for success), in the document's order.
PROJECTS = [
    (
        "T1",
        "Manage insider threat Consider options on vetting of staff and guests for maritime / cruise sectors and other sectors where this maybe an issue.",
        "Staff of transport systems are monitored for risk and a British standard developed and implemented",
    ),
    (
        "T2",
        "Highlight vulnerability legally, morally and commercially of failing to invest in protective security",
        "Potential change to 'require' businesses to do more through regulation or codes of conduct",
    ),
    (
        "T3",
        "Train and equip guard force workers with relevant information and skills to support",
        "Increased visibility and effectiveness of transport network guard force",
    ),
    (
        "T4",
        "Write into commissioned service contracts / tenders protective security requirements",
        "Evidence of increasing commercial contracts with protective security requirements from commissioner to provider",
    ),
    (
        "T5",
        "Identify and engage with relevant inspectorates for dialogue on what is currently 'inspected' regarding protective security and scope opportunities to extend this in line with current CT threat",
        "Protective security now considered by Inspectorate and reported on. Inspected bodies now consider protective security in their planning and operation.",
    ),
    (
        "CP1",
        "Review existing governance around crowded places to establish gaps between this and the new model. Identify and implement routes to deliver this",
        "Tiered public/private/government partnerships are created with executive authority to create and manage change across Crowded places and legislation recognises that this is not the sole preserve of the public sector",
    ),
    (
        "CP2",
        "Create a simple method for partnerships to access information",
        "A single national brand is recognised as the single point of access into protective security that will provide timely, detailed and authoritative information and products",
    ),
    (
        "CP3",
        "Establish a variety of routes to educate and mobilise business on mitigation methods",
        "Products are developed collaboratively using industry experience with both knowledge and funding from both public and private being provided to support protective security initiatives",
    ),
    (
        "CP4",
        "Develop improved supervision standards within the security industry and consider if apprenticeship funding could be integrated within a professional development model",
        "All newly accredited SIA staff have professional knowledge that enables them to better perform their duties. Bespoke, accredited, CT qualifications will represent enhanced capability within the industry and may be used to market security services",
    ),
    (
        "CP5",
        "Expand the voluntary/regulatory licensing and oversight of crowded place events through leveraging protective security within existing structures (licensing, SAGS etc)",
        "Events are delivered to a consistently high security standard (not just safety) with all protective security responsibilities being held by the event owners",
    ),
    (
        "TT1",
        "Enhance FCO Travel advice reach",
        "A broad reach of on-demand and 'pushed' travel advice into both industry and public",
    ),
    (
        "TT2",
        "Suppliers – Health, Safety & Security technical guide Blue book roll out and audit",
        "Suppliers will have a greater understanding of the importance of H&S & security and will have auditable plans in place",
    ),
    (
        "TT3",
        "Increase education of customers – z-card, website, mobile companies",
        "The Z card will be given to all travelling public and innovative technical solutions will also deliver information and education",
    ),
    (
        "TT4",
        "Cross sector learning – ACT – one framework",
        "Mass participation in industry led ACT events, leading to the elevation of protective security within industry agendas",
    ),
    (
        "TT5",
        "Level playing field for all H&S issues",
        "A common safety and security framework exists across all UK and destination governments",
    ),
    (
        "CF1",
        "Identify and amalgamate (where appropriate) key public-facing engagement platforms",
        "A clear public understanding of current activity and strategic owners and where opportunity for expansion can be achieved",
    ),
    (
        "CF2",
        "Scope the use of specialist civilian cyber expertise to explore transferable commercial efficiencies and effectiveness for Cyber Protect, evaluating business and technical processes as police volunteers/specials",
        "An volunteer/Special Constabulary cadre of ROCU (cyber protect officers) established through a collaboration with industry expertise",
    ),
    (
        "CF3",
        "Collaborate with NCSC and partners to deliver cyber protect products through the Step-Change initiative and network",
        "Step-Change programme is able to push credible protective security information into all sectors of business in support of national leads in cyber-sec",
    ),
    (
        "CF4",
        "Intuitive, simple, bespoke SME/Micro cyber insurance products: Cost effective – high volume - [accessing the 5 million SME in the UK].",
        "A raised level of cyber protection in exchange for effective cyber insurance cover",
    ),
    (
        "CF5",
        "Establish a structure to acknowledge a product/service or collaboration that adds value to public private partnerships",
        "Endorsement and support is provided from govt accredited agencies to support private sector choice in selection of relevant Cyber-sec products",
    ),
    (
        "SR1",
        "Support the development of process/programme for security support between larger business and SMEs",
        "Inter-business security resources and best practice are shared and security becomes a recognised deliverable within the concept of Corporate Social Responsibility",
    ),
    (
        "SR2",
        "Develop and influence training standards for SIA and Steward training – with particular reference to CT elements of training.",
        "All newly accredited SIA staff have professional knowledge that enables them to better perform their duties. Bespoke, accredited, CT qualifications will represent enhanced capability within the industry and may be used to market security services",
    ),
    (
        "SR3",
        "Participate and collaborate on recognised accreditation schemes for private protective security capability, notably for Expo dog handlers and improve relationship/compatibility between public/private sectors",
        "Police/Home Office endorsement of a public accreditation scheme for private sector protective security",
    ),
    (
        "SR4",
        "Develop /enhance Information and engagement hub – to enhance standard and impact of communication and intelligence flow from public to private security functions",
        "Private security functions are well briefed on terrorism and are able to motivate guard forces in response to threat levels and emerging/new/existing methodologies",
    ),
    (
        "SR5",
        "Optimise the adoption and use of CSAS to enhance protective security delivery",
        "CSAS is used to mobilise and enhance existing protective security delivery and government look at opportunities to expand the accreditation criteria",
    ),
]

# "Key Activity To Date": (date as the document writes it, activity). The
# document's "Dec 2018" for the first IEG meeting is kept as written.
KEY_ACTIVITIES = [
    (
        "28 Mar 17",
        "Direct engagement with c200 London-based businesses following attack on 22 March",
    ),
    (
        "17 July 17",
        "National business summit (Step-Change 1) with c500 national and international business and security leaders",
    ),
    (
        "July – Dec 17",
        "Creation of 5 protective security work-streams, jointly chaired between business and police and creation of action plans within each",
    ),
    ("Dec 2018", "First meeting of Industry Engagement Group (IEG)"),
    (
        "8 Feb 18",
        "National business summit (Step-Change 2) with c300 national and international business and security leaders. Report back on action plans",
    ),
    ("Mar 18", "Identification of priority projects and creation of Step-Change Programme board"),
    ("16 Apr 18", "Second meeting of IEG and briefing at JTAC"),
    ("18 Apr 18", "National Protect and Prepare Conference and Project launch c200"),
]

# "Next Steps and Relevant Timelines": (date, milestone).
MILESTONES = [
    (datetime.date(2018, 4, 23), "Programme Coordination office is established"),
    (
        datetime.date(2018, 4, 23),
        "Provisionally agreed projects are shared among working group co-chairs and participants for adaption/amendment",
    ),
    (datetime.date(2018, 5, 1), "Call to Action is sent to stakeholders"),
    (datetime.date(2018, 6, 1), "Delivery commences"),
]

CALL = {
    "title": "Step Change Call-To-Action",
    "version": "Version 3 – 08052018",
    # The milestone "1 May – Call to Action is sent to stakeholders" opens it;
    # "Friday 25th May 2018" closes it, at the end of that day in London.
    "opens": datetime.datetime(2018, 5, 1, 0, 0),
    "closes": datetime.datetime(2018, 5, 25, 23, 59, 59),
    "contact_email": "stepchange@met.police.uk",
    "introduction": (
        "This message is a call-to-action for policing, the private sector and government to support the integrated delivery of 25 projects intended to enhance the protective security of the United Kingdom. These projects have been defined through tri-partite working groups, established through the Step-Change conferences, and are a combination of new activity and works-in-progress that the working groups wish to develop and contribute to.\n\n"
        "These projects now require people to develop them, lead them and deliver them, facilitated by policing and government where appropriate."
    ),
    "background": (
        "Following the terrorist attacks in London and Manchester in 2017, it was widely recognised that there had to be a significant shift in the delivery of protective security across the UK, and that this could only be achieved through a tri-partite approach of government, police and private sector. The enablers to achieve this were a number of national mobilisation conferences, our communication partner CSSC, and the creation of an Industry Engagement Group (IEG). The IEG consists of board-room level advisors who are able to create a force-multiplier in terms of our reach into industry."
    ),
    "workstreams_statement": (
        "There are 5 work-streams as shown below. There are 25 individual projects across the 5 work-streams and another 15 which may be developed across the lifespan of the Step-Change Programme Board (SCPB). The details of the projects are shown at the end of this message."
    ),
    "participation_statement": (
        "At this current time and for the foreseeable future there is no funding stream attached to the Step Change Programme. As such participation is voluntary, both in terms of time donated to the work-streams and any miscellaneous expenses encountered (such as travel and personal refreshments)."
    ),
    "confidentiality_statement": (
        "The Step Change Programme is intended to enhance the protective security of the United Kingdom. Consequently, participants will be asked to support the principle that whilst any work undertaken for Step Change is not classified, it is in confidence. For the same reason it is important that participants are validated (i.e. you are who you say you are). This will be achieved through the details provided in the expression of interest process."
    ),
    "ethics_statement": (
        "The Step-Change programme will be delivered to the highest possible ethical standards with individual projects being reviewed to ensure that no inappropriate commercial advantages are being created within industry or elsewhere. While it is fully accepted that delivery will only happen with close collaboration between public and private sectors, participants will be invited to declare any conflicts of interest that may exist."
    ),
}


# The document's own version line, "Version 3 – 08052018": a number and a date
# written DDMMYYYY.
VERSION_LINE = re.compile(
    r"^Version (?P<number>\d+) – (?P<day>\d{2})(?P<month>\d{2})(?P<year>\d{4})$"
)


def version_and_date(version):
    """The document's version line as people read a version and a date: "Version 3,
    8 May 2018". Anything else (a version typed in the admin) is returned as it is."""
    match = VERSION_LINE.match(version or "")
    if not match:
        return version
    try:
        date = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return version
    return f"Version {match['number']}, {date.day} {date:%B %Y}"
