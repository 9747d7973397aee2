import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { GenerateImagesMutation, ImagesQuery } from '../lib/ops';
import type { ImageStatus, ImageType } from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { NeedSector } from '../components/NeedSector';
import { useSelection } from '../lib/selection';
import { describeError } from '../lib/errors';
import { humanize } from '../lib/format';
import { useJobs } from '../state';
import { IfCanWrite, useCanWrite } from '../components/access';

interface ImageLike {
  id: string;
  imageType: string;
  prompt: string;
  url?: string | null;
  status: string;
  position: number;
}

export function Gallery({ images, selection }: { images: ImageLike[]; selection?: ReturnType<typeof useSelection> }) {
  if (!images.length) return <Empty title="No images yet">Generate image prompts for an article first.</Empty>;
  return (
    <ul className="gallery" aria-label="Image gallery">
      {images.map((i) => (
        <li key={i.id} className="tile">
          {i.url ? <img src={i.url} alt={i.prompt} loading="lazy" /> : <div className="tile-placeholder">{humanize(i.status)}</div>}
          <div className="tile-body">
            {selection && (
              <input type="checkbox" aria-label={`Select image ${i.position}`} checked={selection.has(i.id)} onChange={() => selection.toggle(i.id)} />
            )}{' '}
            <Badge value={i.imageType} /> <Badge value={i.status} />
            <p className="small">{i.prompt || <span className="muted">no prompt</span>}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

const STATUSES = ['PENDING', 'GENERATED', 'FAILED'] as const;
const TYPES = ['FEATURED', 'IN_ARTICLE', 'DESKTOP', 'MOBILE'] as const;

function ImagesView({ sectorId }: { sectorId: string }) {
  const [status, setStatus] = useState<ImageStatus | ''>('');
  const [imageType, setType] = useState<ImageType | ''>('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const sel = useSelection();
  const canWrite = useCanWrite();
  const { track } = useJobs();
  const [{ data, fetching, error }] = useQuery({
    query: ImagesQuery,
    variables: { filter: { sectorId, status: status || undefined, imageType: imageType || undefined }, first: pageSize, offset: page * pageSize },
  });
  const [gen, generate] = useMutation(GenerateImagesMutation);
  const rows = data?.images.nodes ?? [];
  const n = sel.ids.size;
  return (
    <>
      <PageHeader title="Images" />
      <div className="filters" role="search">
        <Select label="Status" value={status} options={STATUSES} onChange={(v) => { setStatus(v); setPage(0); }} />
        <Select label="Type" value={imageType} options={TYPES} onChange={(v) => { setType(v); setPage(0); }} />
      </div>
      <IfCanWrite><div className="bulkbar">
        <span>{n ? `${n} selected` : 'Select up to 6 images to render'}</span>
        <button
          className="btn-primary"
          disabled={!n || n > 6 || gen.fetching}
          onClick={async () => {
            const ids = sel.list;
            const r = await generate({ input: { imageIds: ids } });
            if (r.data) {
              track(r.data.generateImages, `${ids.length} images`);
              sel.clear();
            }
          }}
        >
          Generate images
        </button>
      </div></IfCanWrite>
      <ErrorBanner message={describeError(gen.error)} />
      <ErrorBanner error={error} />
      {fetching && !data ? <Loading /> : error && !data ? null : <Gallery images={rows} selection={canWrite ? sel : undefined} />}
      {rows.length > 0 && (
        <p className="muted small">
          Images belong to articles: open one from <Link to="/writer/content">Content</Link> to edit it.
        </p>
      )}
      <Pager total={data?.images.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}

export function ImagesPage() {
  return <NeedSector>{(sectorId) => <ImagesView key={sectorId} sectorId={sectorId} />}</NeedSector>;
}
