/** Who a citizen is, as the registry records it: what a PIN request (R2) and a demo citizen both carry. */
export interface PersonRecord {
  codiceFiscale: string;
  cognome: string;
  nome: string;
  /** 'YYYY-MM-DD' */
  dataNascita: string;
  sesso: 'M' | 'F';
  /** Belfiore code of the comune, or Z code of the country, of birth. */
  luogoNascita: string;
}
