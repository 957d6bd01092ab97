/**
 * An e-mail address that never breaks mid-word: it may wrap only after the @, and where even
 * a part is too long it ends in an ellipsis, the whole address in its title.
 */
export function Email({ address }: { address: string }) {
  const at = address.lastIndexOf('@');
  return (
    <a className="email" href={`mailto:${address}`} title={address}>
      {at > 0 ? (
        <>
          <span className="email-part">{address.slice(0, at)}</span>
          <wbr />
          <span className="email-part">{address.slice(at)}</span>
        </>
      ) : (
        <span className="email-part">{address}</span>
      )}
    </a>
  );
}
