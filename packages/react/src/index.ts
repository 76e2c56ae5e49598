/**
 * `@waymark/react`: React provider and hooks for Waymark journeys, product tours and content.
 * A client module (the build keeps `"use client"`); server components import types from
 * `@waymark/react/types`.
 */
export { WaymarkProvider, type WaymarkProviderProps } from './provider';
export { useTracker } from './use-tracker';
export { useJourneyStep } from './use-journey-step';
export { useField, useJourneyForm, type JourneyForm } from './use-journey-form';
export { useTour } from './use-tour';
export { useContent } from './use-content';
export type * from './types';
