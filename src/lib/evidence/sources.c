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
