"""Pages of 意见征集: staff (drafts, the window, moderation, outcomes, the feedback report; under
/consult/) and public (under /portal/yjzj/)."""
