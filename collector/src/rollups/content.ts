/** Which content (tour, content item, journey) an SDK event belongs to. */
import type { WaymarkEvent } from '@waymark/core/schema';
import type { ContentKind } from '../store/types';

const TOUR = new Set(['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted', 'TourDismissed', 'TourRestarted']);
const CONTENT = new Set(['ContentViewed', 'ContentDismissed', 'ContentCtaClicked']);

type Loose = WaymarkEvent & { tourId?: string; contentId?: string };

/**
 * Tour events belong to their tour, content events to their content item, a `target_not_found`
 * to its tour, else its content item; everything else to the event's journey (or to nothing).
 */
export function contentOf(event: WaymarkEvent): { kind: ContentKind; id: string } {
  const e = event as Loose;
  if (TOUR.has(e._tag)) return { kind: 'tour', id: e.tourId! };
  if (CONTENT.has(e._tag)) return { kind: 'content', id: e.contentId! };
  if (e._tag === 'target_not_found') {
    if (e.tourId) return { kind: 'tour', id: e.tourId };
    if (e.contentId) return { kind: 'content', id: e.contentId };
  }
  return e.journeyKey ? { kind: 'journey', id: e.journeyKey } : { kind: 'none', id: '' };
}
