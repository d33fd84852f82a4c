import { useEffect, useState } from 'react';
import { seriesThumbnail, type SeriesThumbnail as Thumbnail } from '../viewer/seriesThumbnails';

/** The middle image of an image series, or an empty frame while it is drawn or when it cannot be. */
export function SeriesThumbnail({ seriesId }: { readonly seriesId: number }) {
  const [thumbnail, setThumbnail] = useState<Thumbnail | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setThumbnail(null);
    setFailed(false);
    seriesThumbnail(seriesId).then(
      (drawn) => live && setThumbnail(drawn),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [seriesId]);
  if (!thumbnail)
    return (
      <span
        className="series-thumbnail empty"
        aria-hidden="true"
        title={failed ? 'No thumbnail: the image could not be drawn' : undefined}
      />
    );
  return (
    <img
      className="series-thumbnail"
      src={thumbnail.url}
      alt=""
      data-testid="series-thumbnail"
      data-sop-instance-uid={thumbnail.sopInstanceUid}
    />
  );
}
