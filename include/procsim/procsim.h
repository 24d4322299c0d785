/* procsim.h — the whole public API of the procsim library. */
#pragma once

#include <procsim/psim-bpmn.h>
#include <procsim/psim-case.h>
#include <procsim/psim-catalogue.h>
#include <procsim/psim-compare.h>
#include <procsim/psim-comparison.h>
#include <procsim/psim-diag.h>
#include <procsim/psim-format.h>
#include <procsim/psim-i18n.h>
#include <procsim/psim-file.h>
#include <procsim/psim-json.h>
#include <procsim/psim-load.h>
#include <procsim/psim-model.h>
#include <procsim/psim-path.h>
#include <procsim/psim-render.h>
#include <procsim/psim-report.h>
#include <procsim/psim-scenario.h>
#include <procsim/psim-session.h>
#include <procsim/psim-store.h>
#include <procsim/psim-sim.h>

G_BEGIN_DECLS

/* The library version, "MAJOR.MINOR.MICRO". */
const char *psim_version (void);

G_END_DECLS
