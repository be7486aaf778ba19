/*
 * sources.c - the papers behind every threshold, keyed by the source IDs the
 * rule tables use (REFERENCE §14). Reports list the sources they cite.
 */
#include <string.h>

#include "myotrack.h"
#include "evidence/rule.h"

static const struct {
    const char *id;
    const char *citation;
} sources[] = {
    {"EWGSOP2", "Cruz-Jentoft AJ et al. Sarcopenia: revised European consensus on definition "
                "and diagnosis. Age Ageing 2019;48:16-31. doi:10.1093/ageing/afy169"},
    {"EWGSOP1", "Cruz-Jentoft AJ et al. Sarcopenia: European consensus on definition and "
                "diagnosis. Age Ageing 2010;39:412-423. doi:10.1093/ageing/afq034"},
    {"AWGS2019", "Chen LK et al. Asian Working Group for Sarcopenia: 2019 consensus update. "
                 "JAMDA 2020;21:300-307. doi:10.1016/j.jamda.2019.12.012"},
    {"FNIH", "Studenski SA et al. The FNIH sarcopenia project. J Gerontol A 2014;69:547-558. "
             "doi:10.1093/gerona/glu010 (grip: Alley 2014 doi:10.1093/gerona/glu011; lean mass: "
             "Cawthon 2014 doi:10.1093/gerona/glu023)"},
    {"SDOC", "Bhasin S et al. Sarcopenia Definition: the position statements of the Sarcopenia "
             "Definition and Outcomes Consortium. JAGS 2020;68:1410-1418. doi:10.1111/jgs.16372"},
    {"SCWD", "Morley JE et al. Sarcopenia with limited mobility. JAMDA 2011;12:403-409"},
    {"SARCF", "Malmstrom TK, Morley JE. SARC-F: a simple questionnaire to rapidly diagnose "
              "sarcopenia. JAMDA 2013;14:531-532"},
    {"SARCCALF", "Barbosa-Silva TG et al. Enhancing SARC-F: improving sarcopenia screening in "
                 "the clinical practice. JAMDA 2016"},
    {"ISHII", "Ishii S et al. Development of a simple screening test for sarcopenia in older "
              "adults. Geriatr Gerontol Int 2014;14 Suppl 1:93-101"},
    {"SPPB", "Guralnik JM et al. A short physical performance battery. J Gerontol "
             "1994;49:M85-94"},
    {"TUG", "Podsiadlo D, Richardson S. The timed Up & Go. JAGS 1991;39:142-148"},
    {"SHUMWAY", "Shumway-Cook A et al. Predicting the probability for falls in "
                "community-dwelling older adults using the Timed Up & Go Test. Phys Ther "
                "2000;80:896-903"},
    {"ENRIGHT", "Enright PL, Sherrill DL. Reference equations for the six-minute walk in "
                "healthy adults. AJRCCM 1998;158:1384-1387"},
    {"DODDS", "Dodds RM et al. Grip strength across the life course: normative data from "
              "twelve British studies. PLoS One 2014;9:e113637"},
    {"SOUTHAMPTON", "Roberts HC et al. A review of the measurement of grip strength in "
                    "clinical and epidemiological studies. Age Ageing 2011;40:423-429"},
    {"SERGI", "Sergi G et al. Assessing appendicular skeletal muscle mass with bioelectrical "
              "impedance analysis in free-living Caucasian older adults. Clin Nutr "
              "2015;34:667-673"},
    {"KIM", "Kim JH et al. Development and validation of a BIA equation for ASM in Korean "
            "elderly. Arch Gerontol Geriatr 2014;58:303-307"},
    {"YOSHIDA", "Yoshida D et al. Development of an equation for estimating appendicular "
                "skeletal muscle mass in Japanese older adults using BIA. Geriatr Gerontol Int "
                "2014 (as reproduced)"},
    {"JANSSEN", "Janssen I et al. Estimation of skeletal muscle mass by bioelectrical "
                "impedance analysis. J Appl Physiol 2000;89:465-471"},
    {"SEARLE", "Searle SD et al. A standard procedure for creating a frailty index. BMC "
               "Geriatr 2008;8:24 (EWGSOP1 BMI-stratified grip table)"},
    {"PERERA", "Perera S et al. Meaningful change and responsiveness in common physical "
               "performance measures in older adults. JAGS 2006;54:743-749"},
    {"BOHANNON", "Bohannon RW. Grip strength: an indispensable biomarker for older adults. Clin "
                 "Interv Aging 2019;14:1681-1691 (citation details to confirm)"},
    {"FEARON", "Fearon K et al. Definition and classification of cancer cachexia: an "
               "international consensus. Lancet Oncol 2011;12:489-495"},
    {"EVANS", "Evans WJ et al. Cachexia: a new definition. Clin Nutr 2008;27:793-799"},
    {"GLIM", "Cederholm T et al. GLIM criteria for the diagnosis of malnutrition: a consensus "
             "report from the global clinical nutrition community. Clin Nutr 2019;38:1-9"},
    {"MRC", "Medical Research Council. Aids to the examination of the peripheral nervous "
            "system. Memorandum 45, 1976"},
    {"PROTAGE", "Bauer J et al. Evidence-based recommendations for optimal dietary protein "
                "intake in older people: a position paper from the PROT-AGE Study Group. JAMDA "
                "2013;14:542-559"},
    {"ESPEN", "Deutz NEP et al. Protein intake and exercise for optimal muscle function with "
              "aging: recommendations from the ESPEN Expert Group. Clin Nutr 2014;33:929-936"},
    {"ESPENGER", "Volkert D et al. ESPEN guideline on clinical nutrition and hydration in "
                 "geriatrics. Clin Nutr 2019;38:10-47"},
    {"ICFSR", "Dent E et al. International Clinical Practice Guidelines for Sarcopenia (ICFSR): "
              "screening, diagnosis and management. J Nutr Health Aging 2018;22:1148-1161"},
    {"ACSM", "American College of Sports Medicine. Progression models in resistance training for "
             "healthy adults. Med Sci Sports Exerc 2009;41:687-708"},
    {"MORTON", "Morton RW et al. A systematic review, meta-analysis and meta-regression of the "
               "effect of protein supplementation on resistance training-induced gains in "
               "muscle mass and strength in healthy adults. Br J Sports Med 2018;52:376-384"},
    {"REDFLAGS", "myotrack clinical reference, section 9: red flags and triage levels, from "
                 "public patient guidance on muscle weakness (stroke BE-FAST signs, breathing and "
                 "swallowing, Guillain-Barre, cauda equina, rhabdomyolysis); no single paper"},
    {"RATES", "myotrack clinical reference, section 13: rates of loss and regain from the "
              "literature (resistance training in older adults: about 25-30 % strength over 8-12+ "
              "weeks)"},
    {"TRACKING", "myotrack clinical reference, section 12: tracking and alerts (a reported fall "
                 "pauses progression until a clinician reviews it; pain of 7/10 or more, a drop "
                 "of 20 % in a function test or a decline larger than the meaningful change "
                 "raise an alert; a decline while adhering suggests a non-disuse cause), a pattern "
                 "from digital rehabilitation programmes; no single paper"},
    {"CAUSES", "myotrack clinical reference, section 10: telling the causes of muscle loss apart "
               "(time course, distribution, fasciculations, sensory loss, reflexes, CK) and the "
               "work-up to suggest, from public patient guidance"},
};

const char *mt_source_lookup(const char *id)
{
    size_t i;

    if (!id)
        return NULL;
    for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
        if (sources[i].id[0] == id[0] && strcmp(sources[i].id, id) == 0)
            return sources[i].citation;
    return NULL;
}

const char *mt_source_citation(const char *source_id)
{
    return mt_source_lookup(source_id);
}
