// A record's open suggestions, inside HubSpot: the drafts and follow-up dates the service
// made from this contact's, company's or deal's activities, to accept, edit, apply or dismiss.
import React, { useCallback, useEffect, useState } from "react";
import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text, hubspot, useExtensionContext } from "@hubspot/ui-extensions";

import { recordRuns } from "./api.js";
import { Suggestion } from "./Suggestion.jsx";

hubspot.extend(() => <SuggestionsCard />);

// The record types the card is placed on (suggestions-hsmeta.json), by HubSpot's type id.
const RECORD_TYPES = { "0-1": "contacts", "0-2": "companies", "0-3": "deals" };
const RECORD_WORDS = { contacts: "contact", companies: "company", deals: "deal" };

export function SuggestionsCard() {
  const context = useExtensionContext();
  const recordType = RECORD_TYPES[context.crm.objectTypeId];
  const recordId = context.crm.objectId;
  const [listing, setListing] = useState({ loading: true });

  const load = useCallback(async () => {
    setListing({ loading: true });
    try {
      const answer = await recordRuns(recordType, recordId);
      setListing({ runs: answer.runs });
    } catch (problem) {
      setListing({ problem });
    }
  }, [recordType, recordId]);

  useEffect(() => {
    if (recordType) load();
  }, [recordType, load]);

  if (!recordType) {
    return <ErrorState title="Not available here">This card shows suggestions on contacts, companies and deals.</ErrorState>;
  }
  if (listing.loading) return <LoadingSpinner label="Loading suggestions" />;
  if (listing.problem) return <Problem problem={listing.problem} onRetry={load} />;
  if (listing.runs.length === 0) {
    return (
      <EmptyState title="No open suggestions" layout="vertical" imageName="task">
        <Text>
          When a call, meeting, email, note or task on this {RECORD_WORDS[recordType]} is logged, its suggested follow-up
          and touch date appear here, usually within a minute.
        </Text>
      </EmptyState>
    );
  }
  const zone = { timeZone: context.portal.timezone, locale: context.user.locale || "en-US" };
  return (
    <Flex direction="column" gap="medium">
      {listing.runs.map((run) => (
        <Suggestion key={run.id} run={run} zone={zone} />
      ))}
    </Flex>
  );
}

function Problem({ problem, onRetry }) {
  if (problem.code === "unknown_hubspot_user") {
    return (
      <ErrorState title="You are not set up as a rep yet" type="lock">
        <Text>{problem.message}</Text>
      </ErrorState>
    );
  }
  return (
    <ErrorState title="Suggestions could not be loaded">
      <Text>{problem.message}</Text>
      <Button onClick={onRetry}>Try again</Button>
    </ErrorState>
  );
}
