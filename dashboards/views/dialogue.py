"""Civic dialogue: the documents the incubators monitor with their consultation deadlines, the
opinions submitted on them, and what came of those opinions. Staff and managers add and change
documents and opinions (opinions go through the review as activities do); funders see the
documents' public facts and the figures, never an opinion's summary or an internal note."""

from __future__ import annotations

import streamlit as st

from dashboards.components import (
    dialogue_document_form,
    dialogue_documents,
    dialogue_figures,
    dialogue_opinion_form,
)
from dashboards.components.auth import require
from dashboards.components.dialogue_common import (
    DOCUMENT,
    flash,
    forget_reset,
    incubator_names,
)
from dashboards.components.text import tr
from tracker.auth import Area
from tracker.enums import Role

actor = require(Area.DIALOGUE)
writer = actor.role is not Role.FUNDER  # funders read; they never see the record forms
forget_reset()
names = incubator_names(actor)
open_document = st.query_params.get(DOCUMENT, "")

st.title(tr("nav.dialogue"))
st.caption(tr("dialogue.intro") if writer else tr("dialogue.intro_funder"))
with st.container():  # always there: the tabs below keep their place, and the tab open
    flash()
labels = [tr("dialogue.tab.documents"), tr("dialogue.tab.results")]
if writer:
    labels += [tr("dialogue.tab.new_document"), tr("dialogue.tab.new_opinion")]
tabs = st.tabs(labels, key="dialogue_tabs")  # keyed: a rerun keeps the tab open
with tabs[0]:
    dialogue_documents.section(actor=actor, names=names, writer=writer)
with tabs[1]:
    dialogue_figures.section(actor=actor)
if writer:
    with tabs[2]:
        dialogue_document_form.create(actor=actor, writer=writer)
    with tabs[3]:
        dialogue_opinion_form.create(actor=actor, writer=writer, document_id=int(
            open_document) if open_document.isdigit() else None)
