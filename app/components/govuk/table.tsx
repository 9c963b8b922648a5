import type { ReactNode } from "react";
import { cx, type HeadingSize } from "./utils";

export interface TableCell {
  text: ReactNode;
  /** Numbers line up at the end of the cell, in tabular figures. */
  format?: "numeric";
}

export interface TableProps {
  caption?: ReactNode;
  captionSize?: HeadingSize;
  head?: TableCell[];
  rows: TableCell[][];
  /** Makes the first cell of each row a row header (<th scope="row">). */
  firstCellIsHeader?: boolean;
  className?: string;
}

export function Table({ caption, captionSize, head, rows, firstCellIsHeader, className }: TableProps) {
  return (
    <table className={cx("govuk-table", className)}>
      {caption && (
        <caption
          className={cx("govuk-table__caption", captionSize && `govuk-table__caption--${captionSize}`)}
        >
          {caption}
        </caption>
      )}
      {head && (
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {head.map((cell, i) => (
              <th
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                key={i}
                scope="col"
                className={cx("govuk-table__header", cell.format && `govuk-table__header--${cell.format}`)}
              >
                {cell.text}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody className="govuk-table__body">
        {rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
          <tr key={r} className="govuk-table__row">
            {row.map((cell, i) =>
              i === 0 && firstCellIsHeader ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <th key={i} scope="row" className="govuk-table__header">
                  {cell.text}
                </th>
              ) : (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  key={i}
                  className={cx("govuk-table__cell", cell.format && `govuk-table__cell--${cell.format}`)}
                >
                  {cell.text}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
