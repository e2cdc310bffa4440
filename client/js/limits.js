// The product's limits as the screens apply them up front (maxlength, min/max), mirroring the server's
// (server/domain/limits.py and the capability rules next to it: votes, tribe_maps, email_drafts,
// phases); tests/unit/test_client_limits.py keeps every value equal to the server's of the same name.
// The server's refusal stays the rule: these only spare people a form the server would refuse.

// Boards, people, story cards (server/domain/limits.py).
export const BOARD_TITLE_MAX = 120;
export const DISPLAY_NAME_MAX = 40;
export const PARTICIPANTS_PER_BOARD = 1000;
export const PROJECTS_PER_PARTICIPANT = 3;
export const PROJECTS_PER_BOARD = 200;
export const PROJECT_TITLE_MAX = 120;
export const PROJECT_PITCH_MAX = 200;
export const PROJECT_STORY_MAX = 4000;
export const PROJECT_CATEGORY_MAX = 60;
export const PROJECT_PLATFORM_MAX = 60;
export const PROJECT_LINK_MAX = 500;
export const PROJECT_GOAL_MAX = 1_000_000_000;

// Story vote (server/domain/votes.py): dots per voter; the per-story cap is at most the budget.
export const BUDGET_MAX = 20;

// Tribe maps (server/domain/tribe_maps.py, email_drafts.py).
export const NODE_LABEL_MAX = 60;
export const REACH_MAX = 10_000_000;
export const PLAN_WHAT_MAX = 200;
export const PLAN_WHERE_MAX = 80;
export const PLAN_HOW_MAX = 1000;
export const AVERAGE_PLEDGE_MAX = 100_000;
export const CONVERSION_PCT_MIN = 1;
export const CONVERSION_PCT_MAX = 100;
export const EMAIL_SUBJECT_MAX = 150;
export const EMAIL_BODY_MAX = 5000;

// Run of show (server/domain/phases.py).
export const PHASE_TITLE_MAX = 60;
export const PHASE_DURATION_MAX_S = 4 * 60 * 60;

// This screen's own allowance, no server rule: a code may be typed with spaces or dashes (dropped).
export const TYPED_CODE_MAX = 12;
